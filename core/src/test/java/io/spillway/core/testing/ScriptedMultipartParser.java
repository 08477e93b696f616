package io.spillway.core.testing;

import io.spillway.core.multipart.MalformedMultipartException;
import io.spillway.core.multipart.MultipartLimits;
import io.spillway.core.multipart.MultipartParser;
import io.spillway.core.multipart.MultipartReader;
import io.spillway.core.multipart.PartHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link MultipartParser} for unit tests of code that consumes parts, without multipart framing:
 * the test scripts, per boundary, each part's header block and content length, and the body is
 * simply the parts' contents one after the other. Content is read from the real body stream, so
 * byte counting, truncation and read failures of the body reach the code under test.
 *
 * <pre>{@code
 * parser.body("outer", part("Content-Disposition: form-data; name=\"f\"; filename=\"a.txt\"", 100));
 * }</pre>
 */
public final class ScriptedMultipartParser implements MultipartParser {

    /** One scripted part: its header block (CRLF-separated lines) and how many body bytes it spans. */
    public record ScriptedPart(String headerBlock, long length) {
    }

    private final Map<String, List<ScriptedPart>> bodies = new HashMap<>();
    private final List<String> opened = new ArrayList<>();

    /** A part spanning {@code length} bytes of the body. */
    public static ScriptedPart part(String headerBlock, long length) {
        return new ScriptedPart(headerBlock, length);
    }

    /** Scripts the parts found under a boundary. */
    public ScriptedMultipartParser body(String boundary, ScriptedPart... parts) {
        bodies.put(boundary, List.of(parts));
        return this;
    }

    /** The boundaries opened so far, in order. */
    public synchronized List<String> opened() {
        return List.copyOf(opened);
    }

    @Override
    public synchronized MultipartReader open(InputStream body, byte[] boundary, MultipartLimits limits)
            throws IOException {
        String key = new String(boundary, StandardCharsets.ISO_8859_1);
        opened.add(key);
        List<ScriptedPart> parts = bodies.get(key);
        if (parts == null) {
            throw new MalformedMultipartException("no script for boundary " + key);
        }
        return new Reader(body, parts);
    }

    private static final class Reader implements MultipartReader {
        private final InputStream body;
        private final List<ScriptedPart> parts;
        private int next;
        private PartStream current;

        Reader(InputStream body, List<ScriptedPart> parts) {
            this.body = body;
            this.parts = parts;
        }

        @Override
        public PartHeaders nextPart() throws IOException {
            if (current != null) {
                current.skipRest();
            }
            if (next == parts.size()) {
                current = null;
                return null;
            }
            ScriptedPart part = parts.get(next++);
            current = new PartStream(body, part.length());
            return PartHeaders.parse(part.headerBlock());
        }

        @Override
        public InputStream content() {
            return current;
        }
    }

    private static final class PartStream extends InputStream {
        private final InputStream body;
        private long left;

        PartStream(InputStream body, long length) {
            this.body = body;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = body.read(b, off, (int) Math.min(len, left));
            if (n == -1) {
                throw new MalformedMultipartException("truncated body");
            }
            left -= n;
            return n;
        }

        void skipRest() throws IOException {
            byte[] sink = new byte[8192];
            while (read(sink, 0, sink.length) != -1) {
                // discard
            }
        }
    }
}
