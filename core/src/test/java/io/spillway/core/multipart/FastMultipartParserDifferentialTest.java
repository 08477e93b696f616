package io.spillway.core.multipart;

import static io.spillway.core.multipart.MultipartBody.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.multipart.MultipartOutcome.Failure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntSupplier;
import java.util.stream.LongStream;
import org.apache.commons.fileupload2.core.MultipartInput;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast parser against FileUpload2's {@link MultipartInput} on bodies generated from seeds:
 * same parts, same headers, same bytes, same failures, whatever the read fragmentation, buffer
 * sizes and the way content is read. Where the two parsers differ on purpose, the nested
 * {@link WhereFileUpload2Differs} tests pin both behaviours down.
 */
class FastMultipartParserDifferentialTest {

    private static final int[] FAST_BUFFERS = {1024, 1500, 4096, 65536};

    static LongStream seeds() {
        long first = Long.getLong("spillway.differential.firstSeed", 0);
        return LongStream.range(first, first + Long.getLong("spillway.differential.seeds", 400));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void generatedBody_givesTheSameOutcomeAsFileUpload2(long seed) throws IOException {
        GeneratedBody generated = GeneratedBody.generate(seed);
        Random random = new Random(~seed);
        int fastBuffer = FAST_BUFFERS[random.nextInt(FAST_BUFFERS.length)];
        int fileUploadBuffer = ascii(generated.boundary()).length + 5 + random.nextInt(2) * 8192;

        MultipartOutcome fast = MultipartOutcome.fast(fragmented(generated.body(), random), generated.boundary(),
                generated.maxHeaderSize(), fastBuffer, random, generated.truncatedAt() < 0);
        MultipartOutcome fileUpload2 = MultipartOutcome.fileUpload2(fragmented(generated.body(), random),
                generated.boundary(), generated.maxHeaderSize(), fileUploadBuffer);

        String context = "seed " + seed + ", boundary '" + generated.boundary() + "', buffer " + fastBuffer;
        assertEquals(fileUpload2, fast, context);
        if (generated.expected() != null) {
            assertEquals(generated.expected(), fast, context);
            assertEquals(generated.expected().parts().size(), fast.parts().size(), context);
        } else {
            assertNotEquals(Failure.NONE, fast.failure(), context + ", cut at " + generated.truncatedAt());
        }
    }

    @Test
    void generator_coversTheCasesThatMatter() {
        int truncated = 0;
        int tooLarge = 0;
        int empty = 0;
        int large = 0;
        int manyParts = 0;
        for (long seed : seeds().toArray()) {
            GeneratedBody g = GeneratedBody.generate(seed);
            if (g.expected() == null) {
                truncated++;
                continue;
            }
            tooLarge += g.expected().failure() == Failure.TOO_LARGE ? 1 : 0;
            manyParts += g.expected().parts().size() >= 10 ? 1 : 0;
            for (MultipartOutcome.Part p : g.expected().parts()) {
                empty += p.content().length == 0 ? 1 : 0;
                large += p.content().length > 65536 ? 1 : 0;
            }
        }
        assertTrue(truncated >= 20 && tooLarge >= 5 && empty >= 50 && large >= 10 && manyParts >= 20,
                "truncated " + truncated + ", too large " + tooLarge + ", empty " + empty + ", large " + large
                        + ", many parts " + manyParts);
    }

    @Test
    void largePart_bothGiveTheSameBytes() throws IOException {
        byte[] content = new byte[3 << 20];
        new Random(3).nextBytes(content);
        byte[] body = new MultipartBody("boundary").part("A: 1", content).close().bytes();

        MultipartOutcome fileUpload2 = MultipartOutcome.fileUpload2(new ByteArrayInputStream(body), "boundary", 512, 4096);
        List<ParsedPart> fast = ParsedPart.parse(body, "boundary");

        assertArrayEquals(content, fileUpload2.parts().get(0).content());
        assertArrayEquals(content, fast.get(0).content());
    }

    private static InputStream fragmented(byte[] body, Random random) {
        IntSupplier sizes;
        switch (random.nextInt(4)) {
            case 0:
                sizes = () -> 1;
                break;
            case 1:
                sizes = () -> 1 + random.nextInt(8);
                break;
            case 2:
                sizes = () -> 1 + random.nextInt(2000);
                break;
            default:
                sizes = () -> Integer.MAX_VALUE;
        }
        return new ChunkedInputStream(body, sizes);
    }

    /** Each test states what FileUpload2 2.0.0-M4 does and what the fast parser does instead. */
    @Nested
    class WhereFileUpload2Differs {

        private static final String B = "boundary";

        private MultipartOutcome fileUpload2(String body) throws IOException {
            return MultipartOutcome.fileUpload2(new ByteArrayInputStream(ascii(body)), B, 512, 4096);
        }

        private List<ParsedPart> fast(String body) throws IOException {
            return ParsedPart.parse(ascii(body), B);
        }

        @Test
        void transportPaddingAfterTheFirstBoundary_fileUpload2SeesNoPartsAtAll() throws IOException {
            String body = "--boundary \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--boundary--";

            assertEquals(new MultipartOutcome(List.of(), Failure.NONE), fileUpload2(body));
            assertEquals("1", fast(body).get(0).text());
        }

        @Test
        void transportPaddingAfterALaterBoundary_fileUpload2Fails() throws IOException {
            String body = "--boundary\r\nA: 1\r\n\r\n1\r\n--boundary  \r\nA: 2\r\n\r\n2\r\n--boundary--";

            assertEquals(Failure.MALFORMED, fileUpload2(body).failure());
            assertEquals(List.of("1", "2"), fast(body).stream().map(ParsedPart::text).toList());
        }

        @Test
        void delimiterFollowedByOtherBytesInContent_fileUpload2Fails() throws IOException {
            String content = "x\r\n--boundaryX and \r\n--boundary-y";
            String body = "--boundary\r\nA: 1\r\n\r\n" + content + "\r\n--boundary--";

            assertEquals(Failure.MALFORMED, fileUpload2(body).failure());
            assertEquals(content, fast(body).get(0).text());
        }

        @Test
        void emptyHeaderBlock_fileUpload2SwallowsContentIntoTheHeaders() throws IOException {
            String body = "--boundary\r\n\r\nfirst\r\n--boundary\r\nA: 2\r\n\r\nsecond\r\n--boundary--";

            MultipartOutcome fileUpload2 = fileUpload2(body);
            List<ParsedPart> fast = fast(body);

            assertEquals(Failure.MALFORMED, fileUpload2.failure(), "the header block it reads is 'first\\r\\n--boundary...'");
            assertEquals(List.of(), fast.get(0).headers().names());
            assertEquals(List.of("first", "second"), fast.stream().map(ParsedPart::text).toList());
        }

        @Test
        void boundaryInsideAPreambleLine_fileUpload2TakesItAsTheFirstDelimiter() throws IOException {
            String body = "junk--boundary\r\nA: 1\r\n\r\nhidden\r\n--boundary\r\nA: 2\r\n\r\nseen\r\n--boundary--";

            assertEquals(2, fileUpload2(body).parts().size());
            assertEquals(List.of("seen"), fast(body).stream().map(ParsedPart::text).toList());
        }

        @Test
        void lfOnlyAfterBoundary_fileUpload2AcceptsItTheFastParserReadsThatLineAsPreamble() throws IOException {
            String body = "--boundary\nA: 1\r\n\r\n1\r\n--boundary\r\nA: 2\r\n\r\n2\r\n--boundary--";

            assertEquals(2, fileUpload2(body).parts().size());
            assertEquals(List.of("2"), fast(body).stream().map(ParsedPart::text).toList());
        }

        @Test
        void bareLfInHeaders_fileUpload2AcceptsItTheFastParserDoesNot() throws IOException {
            String body = "--boundary\r\nA: 1\nB: 2\r\n\r\n1\r\n--boundary--";

            assertEquals(Map.of("a", List.of("1"), "b", List.of("2")), fileUpload2(body).parts().get(0).headers());
            assertThrows(MalformedMultipartException.class, () -> fast(body));
        }

        @Test
        void bareCrInHeaders_fileUpload2KeepsItInTheValueTheFastParserRefuses() throws IOException {
            String body = "--boundary\r\nA: 1\r2\r\n\r\n1\r\n--boundary--";

            assertEquals(List.of("1\r2"), fileUpload2(body).parts().get(0).headers().get("a"));
            assertThrows(MalformedMultipartException.class, () -> fast(body));
        }

        @Test
        void bodyWithoutAnyDelimiter_fileUpload2SeesAnEmptyFormTheFastParserFails() throws IOException {
            for (String body : List.of("", "hello", "--bound", "--boundary", "--boundary\r")) {
                assertEquals(new MultipartOutcome(List.of(), Failure.NONE), fileUpload2(body), body);
                assertThrows(MalformedMultipartException.class, () -> fast(body), body);
            }
        }

        @Test
        void sameHeaderSizeLimit_bothCountTheBlockWithItsEmptyLine() throws IOException {
            String atLimit = "X: " + "v".repeat(512 - 3 - 4);
            String overLimit = atLimit + "v";
            for (String line : List.of(atLimit, overLimit)) {
                String body = "--boundary\r\n" + line + "\r\n\r\n1\r\n--boundary--";
                MultipartOutcome fileUpload2 = fileUpload2(body);
                MultipartOutcome fast = MultipartOutcome.fast(new ByteArrayInputStream(ascii(body)), B, 512, 1024,
                        new Random(1), true);
                assertEquals(fileUpload2, fast);
                assertEquals(line.equals(atLimit) ? Failure.NONE : Failure.TOO_LARGE, fast.failure());
            }
        }
    }
}
