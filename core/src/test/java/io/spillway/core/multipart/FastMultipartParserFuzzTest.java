package io.spillway.core.multipart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spillway.core.UploadRejectedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * Jazzer fuzz tests of {@link FastMultipartParser}. In plain {@code mvn test} they run in
 * regression mode on the seed corpus under
 * {@code src/test/resources/io/spillway/core/multipart/FastMultipartParserFuzzTestInputs/<method>/};
 * with {@code JAZZER_FUZZ=1} Jazzer mutates inputs (see the report for the command).
 */
class FastMultipartParserFuzzTest {

    private static final int[] BUFFER_SIZES = {1024, 1500, 4096};
    private static final String BCHARS =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ";

    /**
     * Any bytes, any boundary, any limits: the parser either parses or refuses with 400/413; it
     * never throws anything else, never loops, never hands out more bytes than the body holds,
     * and it comes to the same parts, bytes and verdict whether the body arrives in one read, in
     * 1-byte reads or in fuzzer-chosen pieces, through whichever buffer size and read method.
     */
    @FuzzTest(maxDuration = "5m")
    void arbitraryBody_parsesOrIsRejected(FuzzedDataProvider data) throws IOException {
        int bufferSize = BUFFER_SIZES[data.consumeInt(0, BUFFER_SIZES.length - 1)];
        int maxHeaderSize = data.consumeInt(1, 2048);
        byte[] boundary = data.consumeBoolean()
                ? data.consumeBytes(data.consumeInt(0, 80))
                : validBoundary(data.consumeAsciiString(70));
        Random random = new Random(data.consumeLong());
        int maxChunk = data.consumeInt(1, 1 << 16);
        byte[] body = data.consumeRemainingAsBytes();

        List<String> inOneRead = outcome(body, boundary, maxHeaderSize, FastMultipartParser.DEFAULT_BUFFER_SIZE,
                () -> Integer.MAX_VALUE, random);
        List<String> inSingleBytes = outcome(body, boundary, maxHeaderSize, 1024, () -> 1, random);
        List<String> inPieces = outcome(body, boundary, maxHeaderSize, bufferSize,
                () -> 1 + random.nextInt(maxChunk), random);

        assertEquals(inOneRead, inSingleBytes, "1-byte reads");
        assertEquals(inOneRead, inPieces, "reads of up to " + maxChunk + " bytes, buffer " + bufferSize);
    }

    /**
     * The parts (headers and Base64 content) a parse completes, then how it ended: {@code end},
     * or the status and reason it was refused with.
     */
    private static List<String> outcome(byte[] body, byte[] boundary, int maxHeaderSize, int bufferSize,
            IntSupplier chunks, Random random) throws IOException {
        List<String> outcome = new ArrayList<>();
        try {
            MultipartReader reader = new FastMultipartParser(bufferSize).open(new ChunkedInputStream(body, chunks),
                    boundary, new MultipartLimits(maxHeaderSize));
            long delivered = 0;
            for (PartHeaders headers = reader.nextPart(); headers != null; headers = reader.nextPart()) {
                assertTrue(outcome.size() < body.length / (boundary.length + 4) + 1, "more parts than delimiters");
                headers.disposition().fileName();
                byte[] content = readSomehow(reader.content(), random);
                delivered += content.length;
                assertTrue(delivered <= body.length, "more content than body");
                outcome.add(ParsedPart.headerMap(headers) + " " + Base64.getEncoder().encodeToString(content));
            }
            assertNull(reader.nextPart());
            outcome.add("end");
        } catch (UploadRejectedException e) {
            assertTrue(e.status() == 400 && e instanceof MalformedMultipartException || e.status() == 413,
                    e.toString());
            outcome.add(e.status() + " " + e.reason());
        }
        return outcome;
    }

    /**
     * A well-formed body built from fuzzer choices (boundary, preamble, padding, headers, content,
     * epilogue, fragmentation) parses back into exactly the parts that went in.
     */
    @FuzzTest(maxDuration = "5m")
    void wellFormedBody_roundTrips(FuzzedDataProvider data) throws IOException {
        byte[] boundary = validBoundary(data.consumeAsciiString(70));
        byte[] delimiter = concat("\r\n--".getBytes(StandardCharsets.ISO_8859_1), boundary);
        int partCount = data.consumeInt(0, 8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] preamble = data.consumeBytes(data.consumeInt(0, 300));
        if (preamble.length > 0) {
            body.write('P');
            for (byte b : preamble) {
                if (b != '\r') {
                    body.write(b);
                }
            }
            body.write('\r');
            body.write('\n');
        }
        List<String> fileNames = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < partCount; i++) {
            String padding = " \t \t".substring(data.consumeInt(0, 4));
            String fileName = data.consumeBoolean() ? null : fileName(data.consumeAsciiString(40));
            byte[] content = data.consumeBytes(data.consumeInt(0, 5000));
            if (endsPartEarly(content, delimiter)) {
                return;
            }
            body.writeBytes(("--" + new String(boundary, StandardCharsets.ISO_8859_1) + padding + "\r\n"
                    + "Content-Disposition: form-data; name=\"p" + i + "\""
                    + (fileName == null ? "" : "; filename=\"" + fileName + "\"") + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            body.writeBytes(content);
            body.write('\r');
            body.write('\n');
            fileNames.add(fileName);
            contents.add(content);
        }
        body.writeBytes(("--" + new String(boundary, StandardCharsets.ISO_8859_1) + "--")
                .getBytes(StandardCharsets.ISO_8859_1));
        Random random = new Random(data.consumeLong());
        int maxChunk = data.consumeInt(1, 1 << 16);
        int bufferSize = BUFFER_SIZES[data.consumeInt(0, BUFFER_SIZES.length - 1)];
        body.writeBytes(data.consumeRemainingAsBytes());

        byte[] bytes = body.toByteArray();
        List<IntSupplier> fragmentations = List.of(() -> Integer.MAX_VALUE, () -> 1,
                () -> 1 + random.nextInt(maxChunk));
        for (IntSupplier chunks : fragmentations) {
            MultipartReader reader = new FastMultipartParser(bufferSize).open(new ChunkedInputStream(bytes, chunks),
                    boundary, new MultipartLimits(8192));
            for (int i = 0; i < partCount; i++) {
                PartHeaders headers = reader.nextPart();
                assertEquals("p" + i, headers.disposition().name());
                assertEquals(fileNames.get(i), headers.disposition().fileName());
                assertArrayEquals(contents.get(i), readSomehow(reader.content(), random), "part " + i);
            }
            assertNull(reader.nextPart());
        }
    }

    /**
     * Whether content would end its part before its last byte: a whole delimiter in it followed
     * by {@code --}, or by padding and CRLF (the CRLF may be the one that opens the next
     * delimiter), or by more padding than the parser accepts.
     */
    private static boolean endsPartEarly(byte[] content, byte[] delimiter) {
        for (int i = 0; i + delimiter.length <= content.length; i++) {
            if (!Arrays.equals(content, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
                continue;
            }
            int j = i + delimiter.length;
            if (j + 1 < content.length && content[j] == '-' && content[j + 1] == '-') {
                return true;
            }
            int k = j;
            while (k < content.length && (content[k] == ' ' || content[k] == '\t')) {
                k++;
            }
            if (k - j > FastMultipartReader.MAX_TRANSPORT_PADDING || k == content.length
                    || (content[k] == '\r' && k + 1 < content.length && content[k + 1] == '\n')) {
                return true;
            }
        }
        return false;
    }

    private static byte[] readSomehow(InputStream content, Random random) throws IOException {
        switch (random.nextInt(3)) {
            case 0:
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                content.transferTo(out);
                return out.toByteArray();
            case 1:
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                for (int b = content.read(); b >= 0; b = content.read()) {
                    bytes.write(b);
                }
                return bytes.toByteArray();
            default:
                return content.readAllBytes();
        }
    }

    private static byte[] validBoundary(String raw) {
        StringBuilder s = new StringBuilder();
        for (char c : raw.toCharArray()) {
            s.append(BCHARS.indexOf(c) >= 0 ? c : 'x');
        }
        if (s.length() == 0) {
            s.append('z');
        } else if (s.charAt(s.length() - 1) == ' ') {
            s.setCharAt(s.length() - 1, 'z');
        }
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String fileName(String raw) {
        return raw.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
