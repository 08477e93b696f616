package io.spillway.core.upload;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.Sizes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the real bytes of a body and fails with 413 at the first byte over the limit, whatever
 * the headers declared (chunked transfer encoding has no declared length).
 */
final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        allowed(1);
        int b = in.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len == 0 ? 0 : allowed(len));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n <= 0 ? n : allowed(n));
        count(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /**
     * How many of {@code wanted} bytes to ask the body for: at most one past the limit, so that an
     * oversized body is noticed at its first extra byte. Throws again once the limit was exceeded.
     */
    private int allowed(int wanted) throws UploadRejectedException {
        return (int) allowed((long) wanted);
    }

    private long allowed(long wanted) throws UploadRejectedException {
        long room = limit - count;
        if (room < 0) {
            throw tooLarge();
        }
        return room >= wanted ? wanted : room + 1;
    }

    private void count(long n) throws UploadRejectedException {
        count += n;
        if (count > limit) {
            throw tooLarge();
        }
    }

    private UploadRejectedException tooLarge() {
        return UploadRejectedException.tooLarge("request body exceeds maxRequestSize " + Sizes.format(limit));
    }
}
