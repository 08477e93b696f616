package io.spillway.core.resumable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.UploadRejectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentRangeTest {

    @Test
    void parse_rfcRange_givesInclusiveBounds() throws Exception {
        ContentRange range = ContentRange.parse("bytes 0-7/13");
        assertEquals(new ContentRange(0, 7, 13), range);
        assertEquals(8, range.inclusiveLength());
        assertEquals(new ByteRange(0, 8), range.span(8));
    }

    @Test
    void parse_unitIsCaseInsensitive_andOuterSpaceIgnored() throws Exception {
        assertEquals(new ContentRange(5, 9, 10), ContentRange.parse("  Bytes 5-9/10 "));
    }

    @Test
    void parse_statusQuery() throws Exception {
        ContentRange query = ContentRange.parse("bytes */13");
        assertTrue(query.isQuery());
        assertEquals(13, query.total());
    }

    @ParameterizedTest
    @ValueSource(strings = {"apples 0-7/13", "bytes=0-7/13", "bytes 9-7/13", "bytes -7/13", "bytes 0-5/",
            "bytes 0-13/13", "bytes 0-14/13", "bytes 0-99999999999999999999/13", "bytes 0-7/99999999999999999999",
            "bytes 0-7/0", "bytes 0-7/*", "bytes */*", "bytes 0-7", "bytes  0-7/13", "bytes 0 - 7/13", "bytes +0-7/13",
            "bytes 0-7/13,14-15/20", "bytes 0-7/1e3", "", "bytes", "bytes 0-7/13\u0000"})
    void parse_rejectsMalformed_with400(String header) {
        UploadRejectedException e = assertThrows(UploadRejectedException.class, () -> {
            ContentRange range = ContentRange.parse(header);
            range.span(8);
        });
        assertEquals(400, e.status());
    }

    @Test
    void parse_missingHeader_is400() {
        assertEquals(400, assertThrows(UploadRejectedException.class, () -> ContentRange.parse(null)).status());
    }

    @Test
    void parse_overflow_isRefusedNotWrapped() {
        UploadRejectedException e = assertThrows(UploadRejectedException.class,
                () -> ContentRange.parse("bytes 9223372036854775807-9223372036854775807/9223372036854775808"));
        assertEquals(400, e.status());
    }

    @Test
    void span_acceptsExclusiveEnd_whenBodyLengthProvesIt() throws Exception {
        ContentRange range = ContentRange.parse("bytes 0-8/13");
        assertEquals(new ByteRange(0, 8), range.span(8));
        assertEquals(new ByteRange(0, 9), range.span(9));
    }

    @Test
    void span_exclusiveEndEqualToTotal_isTheLastChunk() throws Exception {
        ContentRange range = ContentRange.parse("bytes 5-13/13");
        assertEquals(new ByteRange(5, 13), range.span(8));
        assertFalse(range.accepts(9), "inclusive reading would pass the total");
    }

    @Test
    void span_otherLengths_are400() throws Exception {
        ContentRange range = ContentRange.parse("bytes 0-7/13");
        assertEquals(400, assertThrows(UploadRejectedException.class, () -> range.span(6)).status());
        assertEquals(400, assertThrows(UploadRejectedException.class, () -> range.span(9)).status());
        assertEquals(400, assertThrows(UploadRejectedException.class, () -> range.span(0)).status());
    }

    @Test
    void span_singleByte_hasNoExclusiveReading() throws Exception {
        ContentRange range = ContentRange.parse("bytes 4-4/13");
        assertEquals(new ByteRange(4, 5), range.span(1));
        assertFalse(range.accepts(0));
    }

    @Test
    void rejection_neverEchoesControlCharactersOrLongValues() {
        UploadRejectedException e = assertThrows(UploadRejectedException.class,
                () -> ContentRange.parse("bytes\r\n" + "x".repeat(10_000)));
        assertFalse(e.reason().contains("\r"));
        assertTrue(e.reason().length() < 200, e.reason());
    }
}
