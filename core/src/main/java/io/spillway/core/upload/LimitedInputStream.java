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
        int b = in.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, (int) Math.min(len, limit - count + 1));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(Math.min(n, limit - count + 1));
        count(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void count(long n) throws UploadRejectedException {
        count += n;
        if (count > limit) {
            throw UploadRejectedException.tooLarge("request body exceeds maxRequestSize " + Sizes.format(limit));
        }
    }
}
