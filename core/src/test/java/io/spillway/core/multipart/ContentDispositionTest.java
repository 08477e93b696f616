package io.spillway.core.multipart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContentDispositionTest {

    static Stream<Arguments> wholeDispositions() {
        return Stream.of(
                Arguments.of("null gives an empty disposition", null, "", null, null, false),
                Arguments.of("a form field gives type and name", "form-data; name=\"title\"", "form-data", "title",
                        null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wholeDispositions")
    void parse_givesTypeNameFileNameAndWhetherItIsAFile(String what, String header, String type, String name,
            String fileName, boolean isFile) throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse(header);

        assertEquals(type, d.type());
        assertEquals(name, d.name());
        assertEquals(fileName, d.fileName());
        assertEquals(isFile, d.isFile());
    }

    static Stream<Arguments> typesNamesAndFileNames() {
        return Stream.of(
                Arguments.of("type and parameter names are case-insensitive",
                        "Form-Data; NAME=\"a\"; FileName=\"b.txt\"", "form-data", "a", "b.txt"),
                Arguments.of("unquoted values are trimmed tokens",
                        "attachment ;  name = field1 ; filename=a.txt", "attachment", "field1", "a.txt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("typesNamesAndFileNames")
    void parse_givesTypeNameAndFileName(String what, String header, String type, String name, String fileName)
            throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse(header);

        assertEquals(type, d.type());
        assertEquals(name, d.name());
        assertEquals(fileName, d.fileName());
    }

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of("an empty file name is still a file", "form-data; name=\"f\"; filename=\"\"", ""),
                Arguments.of("the extended file name wins and is decoded",
                        "form-data; name=\"f\"; filename=\"rates.txt\"; filename*=UTF-8''%E2%82%AC%20rates+x.txt",
                        "\u20ac rates+x.txt"),
                Arguments.of("an extended file name alone makes a file",
                        "form-data; filename*=utf-8'en'%C3%A9t%C3%A9.txt", "\u00e9t\u00e9.txt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void parse_fileParameter_makesAFile(String what, String header, String fileName)
            throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse(header);

        assertTrue(d.isFile());
        assertEquals(fileName, d.fileName());
    }

    @Test
    void parse_semicolonAndEqualsInsideQuotes_belongToTheValue() throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse("form-data; filename=\"a;b=c.txt\"; name=\"n\"");

        assertEquals("a;b=c.txt", d.fileName());
        assertEquals("n", d.name());
    }

    static Stream<Arguments> fileNames() {
        return Stream.of(
                Arguments.of("a quoted pair is unescaped", "form-data; filename=\"say \\\"hi\\\".txt\"",
                        "say \"hi\".txt"),
                Arguments.of("a browser's percent-encoded quote stays as sent",
                        "form-data; filename=\"a %22b%22.txt\"", "a %22b%22.txt"),
                Arguments.of("a traversal name comes through unchanged", "form-data; filename=\"../../etc/passwd\"",
                        "../../etc/passwd"),
                Arguments.of("an extended file name with an unknown charset falls back to the file name",
                        "form-data; filename=\"plain.txt\"; filename*=NO-SUCH-CHARSET''x.txt", "plain.txt"),
                Arguments.of("an extended file name without quotes falls back to the file name",
                        "form-data; filename=\"plain.txt\"; filename*=x.txt", "plain.txt"),
                Arguments.of("an extended file name with a broken escape falls back to the file name",
                        "form-data; filename=\"plain.txt\"; filename*=UTF-8''%zz", "plain.txt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileNames")
    void parse_givesTheFileName(String what, String header, String fileName) throws MalformedMultipartException {
        assertEquals(fileName, ContentDisposition.parse(header).fileName());
    }

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("a repeated parameter keeps the first", "form-data; name=\"first\"; name=\"second\"",
                        "first"),
                Arguments.of("a parameter without value ends the parameters", "form-data; name=\"a\"; flag", "a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void parse_givesTheName(String what, String header, String name) throws MalformedMultipartException {
        assertEquals(name, ContentDisposition.parse(header).name());
    }

    @Test
    void parse_unterminatedQuotedString_isMalformed() {
        MalformedMultipartException e = assertThrows(MalformedMultipartException.class,
                () -> ContentDisposition.parse("form-data; filename=\"x.txt; name=\\\"a\\\""));

        assertEquals("unterminated quoted string in Content-Disposition", e.getMessage());
        assertEquals(400, e.status());
    }
}
