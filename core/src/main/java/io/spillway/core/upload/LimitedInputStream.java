package io.spillway.core.upload;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.Sizes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * Counts the real bytes of a body and fails at the first byte over the limit, whatever the
 * headers declared (chunked transfer encoding has no declared length): with 413 for a request
 * over {@code maxRequestSize}, or with the refusal the caller names (a slice larger than its
 * declared range).
 */
public final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private final Supplier<UploadRejectedException> overLimit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
        this(in, limit, () -> UploadRejectedException.tooLarge(
                "request body exceeds maxRequestSize " + Sizes.format(limit)));
    }

    /**
     * @param overLimit the refusal thrown at the first byte over {@code limit} (and at every read after it)
     */
    public LimitedInputStream(InputStream in, long limit, Supplier<UploadRejectedException> overLimit) {
        super(in);
        this.limit = limit;
        this.overLimit = overLimit;
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
            throw overLimit.get();
        }
        return room >= wanted ? wanted : room + 1;
    }

    private void count(long n) throws UploadRejectedException {
        count += n;
        if (count > limit) {
            throw overLimit.get();
        }
    }
}
