package io.spillway.benchmarks.parser;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Random;

/**
 * A multipart body with one large file part, served from memory: a delimiter and headers, then
 * {@code contentLength} bytes taken round-robin from a 1 MiB block of seeded random bytes, then
 * the closing delimiter. Serving costs one {@code System.arraycopy} per read, so a benchmark
 * measures the parser, not the source.
 */
final class SyntheticBody extends InputStream {

    static final String BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

    private static final int BLOCK_SIZE = 1 << 20;
    private static final byte[] BLOCK = block();
    private static final byte[] HEAD = ("--" + BOUNDARY + "\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] TAIL = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private final long contentLength;
    private final long length;
    private long position;

    SyntheticBody(long contentLength) {
        this.contentLength = contentLength;
        this.length = HEAD.length + contentLength + TAIL.length;
    }

    private static byte[] block() {
        byte[] block = new byte[BLOCK_SIZE];
        new Random(42).nextBytes(block);
        return block;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (position == length) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n;
        if (position < HEAD.length) {
            n = Math.min(len, HEAD.length - (int) position);
            System.arraycopy(HEAD, (int) position, b, off, n);
        } else if (position < HEAD.length + contentLength) {
            long inContent = position - HEAD.length;
            int inBlock = (int) (inContent % BLOCK_SIZE);
            n = (int) Math.min(Math.min(len, BLOCK_SIZE - inBlock), contentLength - inContent);
            System.arraycopy(BLOCK, inBlock, b, off, n);
        } else {
            int inTail = (int) (position - HEAD.length - contentLength);
            n = Math.min(len, TAIL.length - inTail);
            System.arraycopy(TAIL, inTail, b, off, n);
        }
        position += n;
        return n;
    }
}
