package io.spillway.core.multipart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartHeadersTest {

    @Test
    void parse_namesAreCaseInsensitiveAndKeptInOrder() throws MalformedMultipartException {
        PartHeaders h = PartHeaders.parse("Content-Type: text/plain\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n");

        assertEquals(List.of("content-type", "content-disposition"), h.names());
        assertEquals("text/plain", h.first("CONTENT-TYPE"));
        assertEquals("text/plain", h.contentType());
        assertEquals("a", h.disposition().name());
    }

    @Test
    void parse_repeatedHeader_keepsEveryValueInOrder() throws MalformedMultipartException {
        PartHeaders h = PartHeaders.parse("X-A: 1\r\nx-a: 2\r\nX-B: 3\r\nX-A: 4");

        assertEquals(List.of("1", "2", "4"), h.all("x-a"));
        assertEquals("1", h.first("X-A"));
        assertEquals(List.of("x-a", "x-b"), h.names());
    }

    @Test
    void parse_valuesAreTrimmed() throws MalformedMultipartException {
        assertEquals("v a l", PartHeaders.parse("X:   v a l  \t").first("x"));
    }

    @Test
    void parse_emptyValue_isKept() throws MalformedMultipartException {
        assertEquals("", PartHeaders.parse("X-Empty:").first("x-empty"));
    }

    @Test
    void parse_colonInValue_belongsToTheValue() throws MalformedMultipartException {
        assertEquals("a: b: c", PartHeaders.parse("X: a: b: c").first("x"));
    }

    @Test
    void parse_continuationLines_areFoldedIntoThePreviousValue() throws MalformedMultipartException {
        PartHeaders h = PartHeaders.parse("Content-Disposition: form-data;\r\n name=\"a\";\r\n\tfilename=\"b\"\r\n");

        assertEquals("form-data; name=\"a\"; filename=\"b\"", h.first("content-disposition"));
        assertEquals("b", h.disposition().fileName());
    }

    @Test
    void parse_bareLf_isToleratedHere_theFastParserRefusesItBefore() throws MalformedMultipartException {
        assertEquals(Map.of("a", List.of("1"), "b", List.of("2")),
                ParsedPart.headerMap(PartHeaders.parse("A: 1\nB: 2\n\n")));
    }

    @Test
    void parse_emptyBlock_hasNoHeaders() throws MalformedMultipartException {
        PartHeaders h = PartHeaders.parse("\r\n");

        assertEquals(List.of(), h.names());
        assertEquals("", h.disposition().type());
        assertNull(h.contentType());
    }

    @Test
    void missingHeader_givesNullAndAnEmptyList() throws MalformedMultipartException {
        PartHeaders h = PartHeaders.parse("A: 1");

        assertNull(h.first("b"));
        assertEquals(List.of(), h.all("b"));
    }

    @Test
    void all_isUnmodifiable() throws MalformedMultipartException {
        PartHeaders h = PartHeaders.parse("A: 1");

        assertThrows(UnsupportedOperationException.class, () -> h.all("a").add("2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"no colon", ": value", "bad name: v", "a(b): v", "a\"b: v", "\u00e9: v", "a\u0001b: v"})
    void parse_malformedLine_isMalformed(String line) {
        assertThrows(MalformedMultipartException.class, () -> PartHeaders.parse("A: 1\r\n" + line + "\r\n"));
    }

    @Test
    void parse_malformedDisposition_isMalformed() {
        assertThrows(MalformedMultipartException.class,
                () -> PartHeaders.parse("Content-Disposition: form-data; name=\"open"));
    }

    @Test
    void of_buildsFromPairs() throws MalformedMultipartException {
        PartHeaders h = PartHeaders.of(List.of(Map.entry(" Content-Type ", " image/png "),
                Map.entry("Content-Disposition", "form-data; name=\"p\"; filename=\"p.png\"")));

        assertEquals("image/png", h.contentType());
        assertEquals("p.png", h.disposition().fileName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "a b", "a:b", "a/b"})
    void of_badName_isMalformed(String name) {
        MalformedMultipartException e = assertThrows(MalformedMultipartException.class,
                () -> PartHeaders.of(List.of(Map.entry(name, "v"))));
        assertEquals("malformed part header name", e.getMessage());
    }
}
