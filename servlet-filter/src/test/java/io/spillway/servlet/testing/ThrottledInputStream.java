package io.spillway.servlet.testing;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Hands out at most {@code chunk} bytes per read and pauses before each: an upload a test can watch. */
public final class ThrottledInputStream extends FilterInputStream {

    private final int chunk;
    private final long pauseMillis;

    public ThrottledInputStream(InputStream in, int chunk, long pauseMillis) {
        super(in);
        this.chunk = chunk;
        this.pauseMillis = pauseMillis;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        }
        return in.read(b, off, Math.min(len, chunk));
    }
}
