package io.spillway.core.multipart;

import static io.spillway.core.multipart.MultipartBody.ascii;
import static io.spillway.core.multipart.MultipartBody.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.UploadRejectedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FastMultipartParserTest {

    private static final String B = "boundary";
    private static final MultipartLimits LIMITS = new MultipartLimits(512);

    private static MultipartReader open(byte[] body) throws IOException {
        return open(new ByteArrayInputStream(body));
    }

    private static MultipartReader open(InputStream body) throws IOException {
        return new FastMultipartParser(1024).open(body, ascii(B), LIMITS);
    }

    @Nested
    class Structure {

        @Test
        void nextPart_readsHeadersAndContentOfEachPart() throws IOException {
            byte[] body = new MultipartBody(B)
                    .part("Content-Disposition: form-data; name=\"title\"", utf8("hello"))
                    .part("Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                            + "Content-Type: text/plain", utf8("line one\r\nline two\r\n"))
                    .close().bytes();

            List<ParsedPart> parts = ParsedPart.parse(body, B);

            assertEquals(2, parts.size());
            assertEquals("title", parts.get(0).headers().disposition().name());
            assertEquals("hello", parts.get(0).text());
            assertEquals("a.txt", parts.get(1).headers().disposition().fileName());
            assertEquals("text/plain", parts.get(1).headers().contentType());
            assertEquals("line one\r\nline two\r\n", parts.get(1).text());
        }

        @Test
        void nextPart_afterClosingDelimiter_returnsNullAgainAndAgain() throws IOException {
            MultipartReader reader = open(new MultipartBody(B).field("a", "1").close().bytes());

            reader.nextPart();

            assertNull(reader.nextPart());
            assertNull(reader.nextPart());
        }

        @Test
        void nextPart_bodyWithOnlyClosingDelimiter_hasNoParts() throws IOException {
            assertEquals(List.of(), ParsedPart.parse(ascii("--boundary--\r\n"), B));
        }

        @Test
        void nextPart_skipsPreambleLines() throws IOException {
            byte[] body = new MultipartBody(B)
                    .raw("This is a preamble.\r\n--boundary is not alone on this line\r\n-- boundary\r\n")
                    .field("a", "1").close().bytes();

            List<ParsedPart> parts = ParsedPart.parse(body, B);

            assertEquals(1, parts.size());
            assertEquals("1", parts.get(0).text());
        }

        @Test
        void nextPart_delimiterInsideAPreambleLine_isNotADelimiter() throws IOException {
            byte[] body = ascii("junk--boundary\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno\r\n"
                    + "--boundary\r\nContent-Disposition: form-data; name=\"y\"\r\n\r\nyes\r\n--boundary--");

            List<ParsedPart> parts = ParsedPart.parse(body, B);

            assertEquals(1, parts.size());
            assertEquals("y", parts.get(0).headers().disposition().name());
        }

        @Test
        void nextPart_ignoresEpilogue() throws IOException {
            byte[] body = new MultipartBody(B).field("a", "1").close()
                    .raw("\r\n--boundary\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n--boundary--")
                    .bytes();

            assertEquals(1, ParsedPart.parse(body, B).size());
        }

        @ParameterizedTest
        @ValueSource(strings = {" ", "\t", " \t  ", "\t\t"})
        void nextPart_acceptsTransportPaddingAfterBoundary(String padding) throws IOException {
            byte[] body = new MultipartBody(B)
                    .part(padding, "Content-Disposition: form-data; name=\"a\"", utf8("1"))
                    .part(padding, "Content-Disposition: form-data; name=\"b\"", utf8("2"))
                    .close().bytes();

            List<ParsedPart> parts = ParsedPart.parse(body, B);

            assertEquals(List.of("1", "2"), parts.stream().map(ParsedPart::text).toList());
        }

        @Test
        void nextPart_paddingOfExactlyTheLimit_isAccepted() throws IOException {
            String padding = " ".repeat(FastMultipartReader.MAX_TRANSPORT_PADDING);
            byte[] body = new MultipartBody(B).part(padding, "Content-Disposition: form-data; name=\"a\"",
                    utf8("1")).close().bytes();

            assertEquals("1", ParsedPart.parse(body, B).get(0).text());
        }

        @Test
        void nextPart_paddingOverTheLimit_isMalformed() {
            String padding = " ".repeat(FastMultipartReader.MAX_TRANSPORT_PADDING + 1);
            byte[] body = new MultipartBody(B).part(padding, "Content-Disposition: form-data; name=\"a\"",
                    utf8("1")).close().bytes();

            MalformedMultipartException e = assertThrows(MalformedMultipartException.class,
                    () -> ParsedPart.parse(body, B));
            assertEquals("transport padding after a boundary is longer than 256 bytes", e.getMessage());
        }

        @Test
        void nextPart_emptyHeaderBlock_givesAPartWithoutHeaders() throws IOException {
            byte[] body = new MultipartBody(B).part("", utf8("body")).close().bytes();

            List<ParsedPart> parts = ParsedPart.parse(body, B);

            assertEquals(List.of(), parts.get(0).headers().names());
            assertEquals("body", parts.get(0).text());
        }

        @Test
        void nextPart_emptyContent_givesZeroBytes() throws IOException {
            byte[] body = new MultipartBody(B).field("a", "").field("b", "").close().bytes();

            List<ParsedPart> parts = ParsedPart.parse(body, B);

            assertEquals(2, parts.size());
            assertEquals(0, parts.get(0).content().length);
            assertEquals(0, parts.get(1).content().length);
        }

        @Test
        void nextPart_skipsUnreadContent() throws IOException {
            byte[] big = new byte[100_000];
            new Random(1).nextBytes(big);
            MultipartReader reader = open(new MultipartBody(B)
                    .part("Content-Disposition: form-data; name=\"big\"", big).field("after", "x").close().bytes());

            reader.nextPart();
            assertEquals(7, reader.content().read(new byte[7]));
            PartHeaders next = reader.nextPart();

            assertEquals("after", next.disposition().name());
            assertEquals("x", new String(reader.content().readAllBytes()));
        }

        @Test
        void nextPart_foldedHeaderLine_isJoined() throws IOException {
            byte[] body = new MultipartBody(B).part(
                    "Content-Disposition: form-data;\r\n name=\"folded\"", utf8("v")).close().bytes();

            assertEquals("folded", ParsedPart.parse(body, B).get(0).headers().disposition().name());
        }

        @Test
        void nextPart_utf8FileName_isDecoded() throws IOException {
            byte[] body = new MultipartBody(B).part(
                    "Content-Disposition: form-data; name=\"f\"; filename=\"r\u00e9sum\u00e9 \u65e5\u672c.txt\"",
                    utf8("x")).close().bytes();

            assertEquals("r\u00e9sum\u00e9 \u65e5\u672c.txt",
                    ParsedPart.parse(body, B).get(0).headers().disposition().fileName());
        }
    }

    @Nested
    class ContentThatAlmostMatches {

        static Stream<String> nearDelimiters() {
            return Stream.of(
                    "\r\n--boundar",
                    "\r\n--boundarx",
                    "\r\n-boundary\r\n",
                    "\n--boundary\r\n",
                    "\r--boundary\r\n",
                    "--boundary\r\n",
                    "\r\n--boundaryX",
                    "\r\n--boundaryX\r\n",
                    "\r\n--boundary-",
                    "\r\n--boundary-x--",
                    "\r\n--boundary -",
                    "\r\n--boundary\t\tx\r\n",
                    "\r\n--boundary \r",
                    "\r\n--boundary\r",
                    "\r\n--boundary\rx",
                    "\r\n--boundary  \r\r\n",
                    "\r\n--boundaryZ\r\n--boundaryZ",
                    "\r\r\r\n\n\n--",
                    "\r\n--boundar\r\n--boundar\r\n--b",
                    "\r\n--boundary" + " ".repeat(200) + "x");
        }

        @ParameterizedTest
        @MethodSource("nearDelimiters")
        void content_nearDelimiterInTheMiddle_comesOutIdentical(String near) throws IOException {
            assertRoundTrip(utf8("before" + near + "after"));
        }

        @ParameterizedTest
        @MethodSource("nearDelimiters")
        void content_nearDelimiterAtTheEnd_comesOutIdentical(String near) throws IOException {
            assertRoundTrip(utf8(near));
        }

        @ParameterizedTest
        @MethodSource("nearDelimiters")
        void content_nearDelimiterAcrossBufferRefills_comesOutIdentical(String near) throws IOException {
            for (int fill = 1000; fill < 1040; fill++) {
                byte[] content = new byte[fill + near.length()];
                java.util.Arrays.fill(content, 0, fill, (byte) 'a');
                System.arraycopy(utf8(near), 0, content, fill, near.length());
                assertRoundTrip(content);
            }
        }

        private void assertRoundTrip(byte[] content) throws IOException {
            byte[] body = new MultipartBody(B)
                    .part("Content-Disposition: form-data; name=\"f\"", content)
                    .field("next", "n").close().bytes();
            Random random = new Random(content.length);
            List<ChunkedInputStream> sources = List.of(
                    ChunkedInputStream.oneByteReads(body),
                    new ChunkedInputStream(body, () -> 2),
                    new ChunkedInputStream(body, () -> 3),
                    new ChunkedInputStream(body, () -> 1 + random.nextInt(17)),
                    new ChunkedInputStream(body, () -> Integer.MAX_VALUE));
            for (ChunkedInputStream source : sources) {
                List<ParsedPart> parts = ParsedPart.readAll(open(source));
                assertEquals(2, parts.size());
                assertArrayEquals(content, parts.get(0).content());
                assertEquals("n", parts.get(1).text());
            }
        }
    }

    @Nested
    class Truncation {

        static Stream<String> truncatedBodies() {
            return Stream.of(
                    "",
                    "no boundary here",
                    "--bound",
                    "--boundary",
                    "--boundary-",
                    "--boundary  ",
                    "--boundary\r",
                    "--boundary\r\n",
                    "--boundary\r\nContent-Disposition: form-data; name=\"a\"",
                    "--boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n",
                    "--boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r",
                    "--boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n",
                    "--boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncontent",
                    "--boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncontent\r\n",
                    "--boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncontent\r\n--boundary",
                    "--boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncontent\r\n--boundary-",
                    "--boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncontent\r\n--boundary \t",
                    "--boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncontent\r\n--boundary\r",
                    "--boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncontent\r\n--boundary\r\n");
        }

        @ParameterizedTest
        @MethodSource("truncatedBodies")
        void readingEverything_fromATruncatedBody_failsAsMalformed(String body) {
            for (int chunk : new int[] {1, 3, Integer.MAX_VALUE}) {
                InputStream source = new ChunkedInputStream(ascii(body), () -> chunk);
                assertThrows(MalformedMultipartException.class,
                        () -> ParsedPart.readAll(open(source)), () -> "chunk " + chunk + ": " + body);
            }
        }

        @Test
        void contentRead_ofATruncatedPart_failsAfterTheBytesItHas() throws IOException {
            MultipartReader reader = open(ascii("--boundary\r\n\r\nsome content"));
            reader.nextPart();
            InputStream content = reader.content();
            ByteArrayOutputStream delivered = new ByteArrayOutputStream();
            byte[] chunk = new byte[100];

            MalformedMultipartException e = assertThrows(MalformedMultipartException.class, () -> {
                for (int n = content.read(chunk); n >= 0; n = content.read(chunk)) {
                    delivered.write(chunk, 0, n);
                }
            });

            assertEquals("some content", delivered.toString());
            assertEquals("body ends before the closing boundary", e.getMessage());
        }

        @Test
        void transferTo_ofATruncatedPart_fails() throws IOException {
            MultipartReader reader = open(ascii("--boundary\r\n\r\nsome content\r\n--boundary"));
            reader.nextPart();

            assertThrows(MalformedMultipartException.class,
                    () -> reader.content().transferTo(new ByteArrayOutputStream()));
        }

        @Test
        void nextPart_onABodyWithoutDelimiter_namesTheProblem() {
            MalformedMultipartException e = assertThrows(MalformedMultipartException.class,
                    () -> open(ascii("just some text\r\n")).nextPart());
            assertEquals("body ends before the first boundary", e.getMessage());
        }

        @Test
        void failure_isSticky() throws IOException {
            MultipartReader reader = open(ascii("--boundary\r\n\r\nabc"));
            reader.nextPart();
            InputStream content = reader.content();
            IOException first = assertThrows(MalformedMultipartException.class, content::readAllBytes);

            assertSame(first, assertThrows(MalformedMultipartException.class, reader::nextPart));
            assertSame(first, assertThrows(MalformedMultipartException.class, content::read));
        }
    }

    @Nested
    class Headers {

        @ParameterizedTest
        @ValueSource(strings = {
            "Content-Disposition: form-data; name=\"a\"\nContent-Type: text/plain\r\n\r\n",
            "Content-Disposition: form-data; name=\"a\"\n\n",
            "Content-Disposition: form-data; name=\"a\"\r\n\n",
            "\n",
        })
        void bareLf_isMalformed(String block) {
            MalformedMultipartException e = assertThrows(MalformedMultipartException.class,
                    () -> ParsedPart.parse(ascii("--boundary\r\n" + block + "x\r\n--boundary--"), B));
            assertEquals("part headers contain a bare LF", e.getMessage());
        }

        @Test
        void bareCr_isMalformed() {
            MalformedMultipartException e = assertThrows(MalformedMultipartException.class,
                    () -> ParsedPart.parse(ascii("--boundary\r\nA: b\rc\r\n\r\nx\r\n--boundary--"), B));
            assertEquals("part headers contain a bare CR", e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"no colon here", ": no name", "bad name: v", "b@d: v", "\u00e9t\u00e9: v"})
        void malformedHeaderLine_isMalformed(String line) {
            assertThrows(MalformedMultipartException.class,
                    () -> ParsedPart.parse(utf8("--boundary\r\n" + line + "\r\n\r\nx\r\n--boundary--"), B));
        }

        @Test
        void headerBlockOfExactlyTheLimit_isAccepted() throws IOException {
            String line = "X-Pad: " + "p".repeat(512 - 7 - 4);
            assertEquals(512, line.length() + 4);

            List<ParsedPart> parts = ParsedPart.parse(ascii("--boundary\r\n" + line + "\r\n\r\nx\r\n--boundary--"), B);

            assertEquals("p".repeat(501), parts.get(0).headers().first("x-pad"));
        }

        @Test
        void headerBlockOneByteOverTheLimit_is413() {
            String line = "X-Pad: " + "p".repeat(512 - 7 - 4 + 1);

            UploadRejectedException e = assertThrows(UploadRejectedException.class,
                    () -> ParsedPart.parse(ascii("--boundary\r\n" + line + "\r\n\r\nx\r\n--boundary--"), B));

            assertEquals(413, e.status());
            assertEquals("part header block is larger than 512 bytes", e.reason());
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 7, 1 << 20})
        void unterminatedHeaderBlock_is413_afterReadingAboutTheLimit(int chunk) {
            byte[] body = new byte[8 << 20];
            java.util.Arrays.fill(body, (byte) 'h');
            System.arraycopy(ascii("--boundary\r\n"), 0, body, 0, 12);
            ChunkedInputStream source = new ChunkedInputStream(body, () -> chunk);

            UploadRejectedException e = assertThrows(UploadRejectedException.class,
                    () -> ParsedPart.readAll(open(source)));

            assertEquals(413, e.status());
            assertTrue(source.delivered() <= 1024 + 512 + 1, "read " + source.delivered());
        }

        @Test
        void headerLimitLargerThanTheBuffer_isHonoured() throws IOException {
            String value = "v".repeat(5000);
            byte[] body = ascii("--boundary\r\nX-Long: " + value + "\r\n\r\nx\r\n--boundary--");

            MultipartReader reader = new FastMultipartParser(1024).open(
                    ChunkedInputStream.oneByteReads(body), ascii(B), new MultipartLimits(6000));

            assertEquals(value, reader.nextPart().first("x-long"));
        }
    }

    @Nested
    class Boundaries {

        @ParameterizedTest
        @ValueSource(strings = {"a", "0123456789", "----WebKitFormBoundary7MA4YWxkTrZu0gW",
            "'()+_,-./:=? x", "---------------------------974767299852498929531610575"})
        void validBoundaries_parse(String boundary) throws IOException {
            byte[] body = new MultipartBody(boundary).field("a", "1").close().bytes();

            assertEquals("1", ParsedPart.parse(body, boundary).get(0).text());
        }

        @Test
        void boundaryOf70Characters_isAccepted() throws IOException {
            String boundary = "b".repeat(70);
            byte[] body = new MultipartBody(boundary).field("a", "1").close().bytes();

            assertEquals("1", ParsedPart.parse(body, boundary).get(0).text());
        }

        @Test
        void boundaryOf71Characters_isMalformed() {
            MalformedMultipartException e = assertThrows(MalformedMultipartException.class,
                    () -> new FastMultipartParser().open(InputStream.nullInputStream(), ascii("b".repeat(71)), LIMITS));
            assertEquals("multipart boundary must be 1 to 70 characters: 71", e.getMessage());
            assertEquals(400, e.status());
        }

        @Test
        void missingBoundary_isMalformed() {
            assertThrows(MalformedMultipartException.class,
                    () -> new FastMultipartParser().open(InputStream.nullInputStream(), null, LIMITS));
            assertThrows(MalformedMultipartException.class,
                    () -> new FastMultipartParser().open(InputStream.nullInputStream(), new byte[0], LIMITS));
        }

        @ParameterizedTest
        @ValueSource(strings = {"a\"b", "a\rb", "a\nb", "a;b", "a@b", "a\u00e9", "a\tb", "a\u0000", "ab "})
        void boundaryWithForbiddenCharacter_isMalformed(String boundary) {
            assertThrows(MalformedMultipartException.class,
                    () -> new FastMultipartParser().open(InputStream.nullInputStream(), utf8(boundary), LIMITS));
        }

        @Test
        void bufferSmallerThanTheMinimum_isRefused() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new FastMultipartParser(1023));
            assertEquals("bufferSize must be at least 1024: 1023", e.getMessage());
        }
    }

    @Nested
    class ContentStream {

        private final byte[] payload = payload(300_000);
        private final byte[] body = new MultipartBody(B)
                .part("Content-Disposition: form-data; name=\"f\"", payload).field("z", "last").close().bytes();

        private byte[] payload(int size) {
            byte[] bytes = new byte[size];
            new Random(7).nextBytes(bytes);
            return bytes;
        }

        @Test
        void transferTo_writesTheWholePart() throws IOException {
            MultipartReader reader = open(body);
            reader.nextPart();
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            long n = reader.content().transferTo(out);

            assertEquals(payload.length, n);
            assertArrayEquals(payload, out.toByteArray());
            assertEquals("z", reader.nextPart().disposition().name());
        }

        @Test
        void singleByteReads_giveTheWholePart() throws IOException {
            MultipartReader reader = open(body);
            reader.nextPart();
            InputStream content = reader.content();
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            for (int b = content.read(); b >= 0; b = content.read()) {
                out.write(b);
            }

            assertArrayEquals(payload, out.toByteArray());
        }

        @Test
        void skip_andRead_giveTheRestOfThePart() throws IOException {
            MultipartReader reader = open(body);
            reader.nextPart();
            InputStream content = reader.content();

            long skipped = 0;
            while (skipped < 200_000) {
                skipped += content.skip(200_000 - skipped);
            }
            byte[] rest = content.readAllBytes();

            assertArrayEquals(java.util.Arrays.copyOfRange(payload, 200_000, payload.length), rest);
        }

        @Test
        void bulkRead_handsOutSpansOfNearlyTheWholeBuffer() throws IOException {
            MultipartReader reader = new FastMultipartParser(64 * 1024).open(new ByteArrayInputStream(body), ascii(B),
                    LIMITS);
            reader.nextPart();

            int n = reader.content().read(new byte[1 << 20]);

            assertTrue(n > 60_000, "read " + n);
        }

        @Test
        void readAfterEnd_returnsMinusOne() throws IOException {
            MultipartReader reader = open(new MultipartBody(B).field("a", "1").close().bytes());
            reader.nextPart();
            InputStream content = reader.content();
            content.readAllBytes();

            assertEquals(-1, content.read());
            assertEquals(-1, content.read(new byte[4], 0, 4));
            assertEquals(0, content.read(new byte[4], 0, 0));
            assertEquals(0, content.available());
        }

        @Test
        void content_beforeFirstPart_isRefused() throws IOException {
            assertThrows(IllegalStateException.class, () -> open(body).content());
        }

        @Test
        void content_afterTheLastPart_isRefused() throws IOException {
            MultipartReader reader = open(body);
            ParsedPart.readAll(reader);

            assertThrows(IllegalStateException.class, reader::content);
        }

        @Test
        void staleContentStream_refusesToRead() throws IOException {
            MultipartReader reader = open(body);
            reader.nextPart();
            InputStream first = reader.content();
            reader.nextPart();

            IOException e = assertThrows(IOException.class, first::read);
            assertEquals("part content is no longer readable: the reader has moved on", e.getMessage());
        }
    }

    @Nested
    class LinearTime {

        /** Guards against quadratic scanning: a quadratic parser would not finish in the timeout. */
        @Test
        @Timeout(value = 60, unit = TimeUnit.SECONDS)
        void megabytesOfCrlfPreamble_andAPartOfCrPlus50Megabytes_parse() throws IOException {
            int preamble = 8 << 20;
            int part = 50 << 20;
            byte[] head = ascii("--boundary\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n\r");
            byte[] tail = ascii("\r\n--boundary--");
            InputStream body = new SequenceInputStream(Collections.enumeration(List.of(
                    new Repeat(ascii("\r\n"), preamble), new ByteArrayInputStream(head),
                    new Repeat(new byte[] {'\r', '\n', '-'}, part), new ByteArrayInputStream(tail))));

            MultipartReader reader = new FastMultipartParser().open(body, ascii(B), LIMITS);
            reader.nextPart();
            long size = reader.content().transferTo(OutputStream.nullOutputStream());

            assertEquals(1 + part, size);
            assertNull(reader.nextPart());
        }
    }

    @Test
    void headersOfEveryPart_areParsedWithPartHeaders() throws IOException {
        byte[] body = new MultipartBody(B).part("Content-Disposition: form-data; name=\"a\"\r\n"
                + "X-Multi: 1\r\nx-multi: 2", utf8("")).close().bytes();

        PartHeaders headers = ParsedPart.parse(body, B).get(0).headers();

        assertEquals(Map.of("content-disposition", List.of("form-data; name=\"a\""), "x-multi", List.of("1", "2")),
                ParsedPart.headerMap(headers));
    }

    /** A stream of one pattern repeated up to a length. */
    static final class Repeat extends InputStream {
        private final byte[] pattern;
        private long remaining;
        private long position;

        Repeat(byte[] pattern, long length) {
            this.pattern = pattern;
            this.remaining = length;
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            remaining--;
            return pattern[(int) (position++ % pattern.length)] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                b[off + i] = pattern[(int) (position++ % pattern.length)];
            }
            remaining -= n;
            return n;
        }
    }
}
