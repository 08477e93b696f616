package io.spillway.servlet.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.multipart.FastMultipartParser;
import io.spillway.core.multipart.MultipartParser;
import io.spillway.core.storage.FileNames;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.upload.DiskGuard;
import io.spillway.core.upload.MultipartReceiver;
import io.spillway.core.upload.ReceivedPart;
import io.spillway.servlet.FileUpload2Parser;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes multipart bodies through {@link MultipartReceiver}, the code behind both routes, with
 * both parsers and both memory allowances (0: the streamed route; 1 GiB: the buffered route):
 * <ul>
 *   <li>any bytes: the outcome is parts within every limit, or a refusal with a deliberate status;
 *       never another exception; nothing left on disk either way;</li>
 *   <li>a well-formed body (built here from fuzzed parts, contents included, and read in fuzzed
 *       fragments): exactly the parts that were encoded, byte for byte, with both parsers.</li>
 * </ul>
 * {@link MultipartHttpFuzzTest} sends bodies through the whole filter over HTTP.
 *
 * <p>Plain {@code mvn test} runs the inputs in {@code MultipartFuzzTestInputs} (regression mode);
 * {@code JAZZER_FUZZ=1 mvn test -pl servlet-filter -am -Dtest=MultipartFuzzTest#anyBody...}
 * fuzzes one method (see the README of the hardening suite).
 */
class MultipartFuzzTest {

    static final String BOUNDARY = Body.BOUNDARY;
    private static final SpillwayConfig LIMITS = SpillwayConfig.custom().maxParts(8).maxFieldSize(4096)
            .maxFileSize(64 << 10).maxRequestSize(256 << 10).maxPartHeaderSize(1024).build();
    private static final List<MultipartParser> PARSERS = List.of(new FileUpload2Parser(), new FastMultipartParser());
    private static final long[] ALLOWANCES = {0, 1L << 30};
    private static final Path ROOT = temporaryDirectory();
    private static final TempStorage STORAGE = open(ROOT.resolve("spill"));

    @AfterAll
    static void deleteStorage() {
        TestServer.deleteTree(ROOT);
    }

    @FuzzTest(maxDuration = "5m")
    @DictionaryFile(resourcePath = "multipart.dict")
    void anyBody_givesPartsWithinTheLimits_orADeliberateRefusal(byte[] body) throws IOException {
        for (MultipartParser parser : PARSERS) {
            for (long allowance : ALLOWANCES) {
                receiveAnything(parser, allowance, body);
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void wellFormedBody_arrivesExactly_withBothParsers(FuzzedDataProvider data) throws IOException {
        Encoded encoded = Encoded.from(data);
        if (encoded == null) {
            return;
        }
        int[] fragments = new int[1 + data.consumeInt(0, 16)];
        for (int i = 0; i < fragments.length; i++) {
            fragments[i] = data.consumeInt(1, 4096);
        }
        SpillwayConfig config = SpillwayConfig.custom().maxParts(100).build();
        for (MultipartParser parser : PARSERS) {
            for (long allowance : ALLOWANCES) {
                MultipartReceiver receiver = new MultipartReceiver(parser, config, STORAGE, null);
                List<ReceivedPart> parts = receiver.receive(new FragmentedStream(encoded.body(), fragments),
                        encoded.boundary().getBytes(StandardCharsets.ISO_8859_1), allowance, DiskGuard.unlimited());
                try {
                    String context = parser.getClass().getSimpleName() + ", allowance " + allowance;
                    assertEquals(encoded.parts().size(), parts.size(), context);
                    for (int i = 0; i < parts.size(); i++) {
                        Encoded.Part sent = encoded.parts().get(i);
                        ReceivedPart received = parts.get(i);
                        assertEquals(sent.name(), received.name(), context);
                        assertEquals(sent.fileName() == null ? null : sent.fileName().isEmpty() ? ""
                                : FileNames.sanitize(sent.fileName()), received.fileName(), context);
                        assertArrayEquals(sent.content(), received.content().bytes(), context + ", part " + i);
                    }
                } finally {
                    parts.forEach(p -> p.content().release());
                }
                assertEquals(0, STORAGE.countFiles(), "nothing left on disk");
            }
        }
    }

    /** Receives any bytes and checks the invariants of the outcome. */
    static void receiveAnything(MultipartParser parser, long allowance, byte[] body) throws IOException {
        MultipartReceiver receiver = new MultipartReceiver(parser, LIMITS, STORAGE, "SHA-256");
        String context = parser.getClass().getSimpleName() + ", allowance " + allowance;
        List<ReceivedPart> parts;
        try {
            parts = receiver.receive(new ByteArrayInputStream(body), BOUNDARY.getBytes(StandardCharsets.US_ASCII),
                    allowance, DiskGuard.unlimited());
        } catch (UploadRejectedException refused) {
            assertTrue(Responses.DELIBERATE.contains(refused.status()), context + ": " + refused.status());
            assertTrue(refused.reason() != null && !refused.reason().isBlank() && refused.reason().length() < 300,
                    context + ": a short reason: " + refused.reason());
            assertEquals(0, STORAGE.countFiles(), context + ": a refusal leaves nothing on disk");
            return;
        }
        try {
            assertTrue(parts.size() <= LIMITS.maxParts(), context);
            long total = 0;
            for (ReceivedPart part : parts) {
                long limit = part.isFile() ? LIMITS.maxFileSize() : LIMITS.maxFieldSize();
                assertTrue(part.size() <= limit, context + ": " + part.size() + " > " + limit);
                byte[] bytes = part.content().bytes();
                assertEquals(part.size(), bytes.length, context);
                assertEquals(part.digest(), HexFormat.of().formatHex(GeneratedStream.sha256().digest(bytes)), context);
                if (part.isFile() && !part.fileName().isEmpty()) {
                    SafeNames.assertSafe(String.valueOf(part.headers().disposition().fileName()), part.fileName());
                }
                if (part.content().file() != null) {
                    assertTrue(STORAGE.contains(part.content().file()), context + ": stored inside the temp directory");
                }
                total += part.size();
            }
            assertTrue(total <= body.length, context + ": parts hold no more than the body");
        } finally {
            parts.forEach(p -> p.content().release());
        }
        assertEquals(0, STORAGE.countFiles(), context + ": released parts leave nothing on disk");
    }

    /** A well-formed body built from fuzzed parts, and the parts it holds. */
    record Encoded(String boundary, byte[] body, List<Part> parts) {

        private static final String BCHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?";
        private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-_.[] ";

        record Part(String name, String fileName, String contentType, byte[] content) {
        }

        /** Builds a body, or returns null when the fuzzed content happens to contain the delimiter. */
        static Encoded from(FuzzedDataProvider data) {
            String boundary = pick(data, BCHARS, 1, 70);
            if (boundary.isEmpty()) {
                return null;
            }
            byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] preamble = data.consumeBytes(data.consumeInt(0, 64));
            if (contains(preamble, ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1))) {
                return null;
            }
            if (preamble.length > 0) {
                out.writeBytes(preamble);
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            List<Part> parts = new ArrayList<>();
            int count = data.consumeInt(1, 6);
            for (int i = 0; i < count; i++) {
                String name = "p" + i + pick(data, NAME_CHARS, 0, 20).strip();
                String fileName = data.consumeBoolean() ? pick(data, NAME_CHARS, 0, 30) : null;
                String contentType = data.consumeBoolean() ? "application/octet-stream" : null;
                byte[] content = data.consumeBytes(data.consumeInt(0, 20_000));
                if (contains(content, delimiter)) {
                    return null;
                }
                parts.add(new Part(name, fileName, contentType, content));
                out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                        + (fileName == null ? "" : "; filename=\"" + fileName + "\"")
                        + (contentType == null ? "" : "\r\nContent-Type: " + contentType) + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.writeBytes(content);
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.writeBytes(("--" + boundary + "--").getBytes(StandardCharsets.ISO_8859_1));
            if (data.consumeBoolean()) {
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.writeBytes(data.consumeBytes(data.consumeInt(0, 64)));
            }
            return new Encoded(boundary, out.toByteArray(), parts);
        }

        private static String pick(FuzzedDataProvider data, String alphabet, int min, int max) {
            int length = data.consumeInt(min, max);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(data.consumeInt(0, alphabet.length() - 1)));
            }
            return text.toString();
        }

        private static boolean contains(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }

    /** Hands out a body in fragments of the given sizes, cycling, as TCP reads would. */
    static final class FragmentedStream extends InputStream {
        private final byte[] body;
        private final int[] fragments;
        private int position;
        private int next;

        FragmentedStream(byte[] body, int[] fragments) {
            this.body = body;
            this.fragments = fragments;
        }

        @Override
        public int read() {
            return position < body.length ? body[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= body.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, body.length - position), fragments[next++ % fragments.length]);
            System.arraycopy(body, position, b, off, n);
            position += n;
            return n;
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("spillway-fuzz-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TempStorage open(Path directory) {
        try {
            return TempStorage.open(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
