package io.spillway.core.multipart;

import io.spillway.core.UploadRejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The reader behind {@link FastMultipartParser}: one fixed buffer, a Horspool search for the
 * delimiter, and content handed out in spans straight from the buffer.
 *
 * <p>The buffer holds {@code [head, tail)} unread bytes. Every delimiter start below
 * {@code scanFrom} has been ruled out, so {@code [head, scanFrom)} is content that may be handed
 * out. A complete {@code CRLF--boundary} only ends the part when the line goes on with
 * {@code --} (closing delimiter) or with optional transport padding and CRLF; followed by anything
 * else it is content, byte for byte. A candidate whose line is not complete yet stays in the
 * buffer (at most {@link #MAX_TRANSPORT_PADDING} + 76 bytes) until more data decides it.
 *
 * <p>The body is read as if it began with CRLF, so that a first delimiter at the very start of
 * the body and one at the start of a later preamble line are found by the same search.
 */
final class FastMultipartReader implements MultipartReader {

    /** Longest run of spaces and tabs accepted between a boundary and its CRLF. */
    static final int MAX_TRANSPORT_PADDING = 256;

    private static final int UNDECIDED = -2;
    private static final int NOT_A_DELIMITER = -1;
    private static final int CLOSING = 0;

    private enum State { PREAMBLE, PART, END }

    private final InputStream source;
    private final Delimiter delimiter;
    private final int maxHeaderSize;
    private final byte[] buffer;
    private byte[] headerBlock;

    private int head;
    private int tail;
    private boolean sourceEnded;
    private int scanFrom;
    private int delimiterAt = -1;
    private int delimiterLineEnd;

    private State state = State.PREAMBLE;
    private PartContent content;
    private IOException failure;

    FastMultipartReader(InputStream source, Delimiter delimiter, MultipartLimits limits, int bufferSize) {
        this.source = source;
        this.delimiter = delimiter;
        this.maxHeaderSize = limits.maxPartHeaderSize();
        this.buffer = new byte[bufferSize];
        this.headerBlock = new byte[Math.min(maxHeaderSize, 1024)];
        buffer[0] = '\r';
        buffer[1] = '\n';
        tail = 2;
    }

    @Override
    public PartHeaders nextPart() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (state == State.END) {
            return null;
        }
        try {
            return advanceToNextPart();
        } catch (IOException e) {
            throw fail(e);
        }
    }

    @Override
    public InputStream content() {
        if (content == null) {
            throw new IllegalStateException("no current part: nextPart() has not returned one");
        }
        return content;
    }

    private PartHeaders advanceToNextPart() throws IOException {
        content = null;
        for (int n = readySpan(); n > 0; n = readySpan()) {
            head += n;
        }
        if (delimiterLineEnd == CLOSING) {
            state = State.END;
            return null;
        }
        head = delimiterLineEnd;
        delimiterAt = -1;
        PartHeaders headers = readHeaders();
        scanFrom = head;
        scan();
        state = State.PART;
        content = new PartContent();
        return headers;
    }

    /**
     * Makes bytes of the current part (or of the preamble) ready at {@code head}.
     *
     * @return how many, or 0 when the delimiter that ends the part is at {@code head}
     * @throws MalformedMultipartException when the body ends first
     */
    private int readySpan() throws IOException {
        for (;;) {
            int end = delimiterAt >= 0 ? delimiterAt : sourceEnded ? tail : scanFrom;
            if (end > head) {
                return end - head;
            }
            if (delimiterAt >= 0) {
                return 0;
            }
            if (sourceEnded) {
                throw new MalformedMultipartException(state == State.PREAMBLE
                        ? "body ends before the first boundary" : "body ends before the closing boundary");
            }
            refill(buffer.length);
            scan();
        }
    }

    /** Moves the unread bytes to the front of the buffer and reads at most {@code maxBytes} more. */
    private void refill(int maxBytes) throws IOException {
        if (head > 0) {
            System.arraycopy(buffer, head, buffer, 0, tail - head);
            tail -= head;
            scanFrom = Math.max(scanFrom - head, 0);
            head = 0;
        }
        int n = source.read(buffer, tail, Math.min(buffer.length - tail, maxBytes));
        if (n < 0) {
            sourceEnded = true;
        } else {
            tail += n;
        }
    }

    /** Searches the unscanned bytes for a delimiter line; sets {@code delimiterAt} when found. */
    private void scan() throws MalformedMultipartException {
        if (delimiterAt >= 0) {
            return;
        }
        int from = scanFrom;
        for (;;) {
            int at = delimiter.indexIn(buffer, from, tail);
            if (at < 0) {
                scanFrom = Math.max(from, tail - delimiter.length() + 1);
                return;
            }
            int lineEnd = delimiterLineEnd(at + delimiter.length());
            if (lineEnd == UNDECIDED) {
                scanFrom = at;
                return;
            }
            if (lineEnd != NOT_A_DELIMITER) {
                scanFrom = at;
                delimiterAt = at;
                delimiterLineEnd = lineEnd;
                return;
            }
            from = at + 1;
        }
    }

    /**
     * Decides what follows a complete {@code CRLF--boundary} whose last byte is before {@code pos}.
     *
     * @return {@link #CLOSING} for {@code --}, the index after the CRLF for padding and CRLF,
     *     {@link #NOT_A_DELIMITER} for anything else, {@link #UNDECIDED} when more bytes are needed
     */
    private int delimiterLineEnd(int pos) throws MalformedMultipartException {
        if (pos < tail && buffer[pos] == '-') {
            if (pos + 1 >= tail) {
                return sourceEnded ? NOT_A_DELIMITER : UNDECIDED;
            }
            return buffer[pos + 1] == '-' ? CLOSING : NOT_A_DELIMITER;
        }
        int p = pos;
        while (p < tail && (buffer[p] == ' ' || buffer[p] == '\t')) {
            p++;
            if (p - pos > MAX_TRANSPORT_PADDING) {
                throw new MalformedMultipartException(
                        "transport padding after a boundary is longer than " + MAX_TRANSPORT_PADDING + " bytes");
            }
        }
        if (p < tail && buffer[p] != '\r') {
            return NOT_A_DELIMITER;
        }
        if (p + 1 >= tail) {
            return sourceEnded ? NOT_A_DELIMITER : UNDECIDED;
        }
        return buffer[p + 1] == '\n' ? p + 2 : NOT_A_DELIMITER;
    }

    /**
     * Reads the header block up to and including its empty line. Reads from the source stop
     * about one byte past the limit, however much the source could deliver.
     */
    private PartHeaders readHeaders() throws IOException {
        int size = 0;
        int lineStart = 0;
        for (;;) {
            if (head == tail) {
                refill(maxHeaderSize - size + 1);
                if (sourceEnded) {
                    throw new MalformedMultipartException("body ends inside the part headers");
                }
                continue;
            }
            byte b = buffer[head++];
            if (++size > maxHeaderSize) {
                throw UploadRejectedException.tooLarge(
                        "part header block is larger than " + maxHeaderSize + " bytes");
            }
            if (size > headerBlock.length) {
                headerBlock = Arrays.copyOf(headerBlock, Math.min(maxHeaderSize, headerBlock.length * 2));
            }
            headerBlock[size - 1] = b;
            boolean afterCr = size > 1 && headerBlock[size - 2] == '\r';
            if (b == '\n') {
                if (!afterCr) {
                    throw new MalformedMultipartException("part headers contain a bare LF");
                }
                if (size - lineStart == 2) {
                    return PartHeaders.parse(new String(headerBlock, 0, size, StandardCharsets.UTF_8));
                }
                lineStart = size;
            } else if (afterCr) {
                throw new MalformedMultipartException("part headers contain a bare CR");
            }
        }
    }

    /** Remembers the first failure: the reader's state is unusable after it. */
    private IOException fail(IOException e) {
        failure = e;
        return e;
    }

    /** The content of one part, read from the shared buffer. */
    private final class PartContent extends InputStream {

        private int ready() throws IOException {
            if (failure != null) {
                throw failure;
            }
            if (content != this) {
                throw new IOException("part content is no longer readable: the reader has moved on");
            }
            try {
                return readySpan();
            } catch (IOException e) {
                throw fail(e);
            }
        }

        @Override
        public int read() throws IOException {
            if (ready() == 0) {
                return -1;
            }
            return buffer[head++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int n = ready();
            if (n == 0) {
                return -1;
            }
            n = Math.min(n, len);
            System.arraycopy(buffer, head, b, off, n);
            head += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) {
                return 0;
            }
            int skipped = (int) Math.min(ready(), n);
            head += skipped;
            return skipped;
        }

        @Override
        public int available() {
            if (content != this || failure != null) {
                return 0;
            }
            int end = delimiterAt >= 0 ? delimiterAt : sourceEnded ? tail : scanFrom;
            return Math.max(end - head, 0);
        }

        /** Writes the rest of the part straight from the parser's buffer, without another copy. */
        @Override
        public long transferTo(OutputStream out) throws IOException {
            Objects.requireNonNull(out, "out");
            long total = 0;
            for (int n = ready(); n > 0; n = ready()) {
                out.write(buffer, head, n);
                head += n;
                total += n;
            }
            return total;
        }
    }
}
