package io.spillway.core.multipart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ContentDispositionTest {

    @Test
    void parse_null_givesAnEmptyDisposition() throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse(null);

        assertEquals("", d.type());
        assertNull(d.name());
        assertNull(d.fileName());
        assertFalse(d.isFile());
    }

    @Test
    void parse_formField_givesTypeAndName() throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse("form-data; name=\"title\"");

        assertEquals("form-data", d.type());
        assertEquals("title", d.name());
        assertNull(d.fileName());
        assertFalse(d.isFile());
    }

    @Test
    void parse_typeAndParameterNames_areCaseInsensitive() throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse("Form-Data; NAME=\"a\"; FileName=\"b.txt\"");

        assertEquals("form-data", d.type());
        assertEquals("a", d.name());
        assertEquals("b.txt", d.fileName());
    }

    @Test
    void parse_emptyFileName_isStillAFile() throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse("form-data; name=\"f\"; filename=\"\"");

        assertTrue(d.isFile());
        assertEquals("", d.fileName());
    }

    @Test
    void parse_unquotedValues_areTrimmedTokens() throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse("attachment ;  name = field1 ; filename=a.txt");

        assertEquals("attachment", d.type());
        assertEquals("field1", d.name());
        assertEquals("a.txt", d.fileName());
    }

    @Test
    void parse_semicolonAndEqualsInsideQuotes_belongToTheValue() throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse("form-data; filename=\"a;b=c.txt\"; name=\"n\"");

        assertEquals("a;b=c.txt", d.fileName());
        assertEquals("n", d.name());
    }

    @Test
    void parse_quotedPair_isUnescaped() throws MalformedMultipartException {
        assertEquals("say \"hi\".txt", ContentDisposition.parse("form-data; filename=\"say \\\"hi\\\".txt\"").fileName());
    }

    @Test
    void parse_browserPercentEncodedQuote_staysAsSent() throws MalformedMultipartException {
        assertEquals("a %22b%22.txt", ContentDisposition.parse("form-data; filename=\"a %22b%22.txt\"").fileName());
    }

    @Test
    void parse_traversalName_comesThroughUnchanged() throws MalformedMultipartException {
        assertEquals("../../etc/passwd", ContentDisposition.parse("form-data; filename=\"../../etc/passwd\"").fileName());
    }

    @Test
    void parse_extendedFileName_winsAndIsDecoded() throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse(
                "form-data; name=\"f\"; filename=\"rates.txt\"; filename*=UTF-8''%E2%82%AC%20rates+x.txt");

        assertEquals("\u20ac rates+x.txt", d.fileName());
        assertTrue(d.isFile());
    }

    @Test
    void parse_extendedFileNameAlone_makesAFile() throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse("form-data; filename*=utf-8'en'%C3%A9t%C3%A9.txt");

        assertTrue(d.isFile());
        assertEquals("\u00e9t\u00e9.txt", d.fileName());
    }

    @Test
    void parse_extendedFileNameWithUnknownCharset_fallsBackToFileName() throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse(
                "form-data; filename=\"plain.txt\"; filename*=NO-SUCH-CHARSET''x.txt");

        assertEquals("plain.txt", d.fileName());
    }

    @Test
    void parse_extendedFileNameWithoutQuotes_fallsBackToFileName() throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse("form-data; filename=\"plain.txt\"; filename*=x.txt");

        assertEquals("plain.txt", d.fileName());
    }

    @Test
    void parse_extendedFileNameWithBrokenEscape_fallsBackToFileName() throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse("form-data; filename=\"plain.txt\"; filename*=UTF-8''%zz");

        assertEquals("plain.txt", d.fileName());
    }

    @Test
    void parse_repeatedParameter_keepsTheFirst() throws MalformedMultipartException {
        assertEquals("first", ContentDisposition.parse("form-data; name=\"first\"; name=\"second\"").name());
    }

    @Test
    void parse_parameterWithoutValue_endsTheParameters() throws MalformedMultipartException {
        ContentDisposition d = ContentDisposition.parse("form-data; name=\"a\"; flag");

        assertEquals("a", d.name());
    }

    @Test
    void parse_unterminatedQuotedString_isMalformed() {
        MalformedMultipartException e = assertThrows(MalformedMultipartException.class,
                () -> ContentDisposition.parse("form-data; filename=\"x.txt; name=\\\"a\\\""));

        assertEquals("unterminated quoted string in Content-Disposition", e.getMessage());
        assertEquals(400, e.status());
    }
}
