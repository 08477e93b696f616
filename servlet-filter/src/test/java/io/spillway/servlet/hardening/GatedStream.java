package io.spillway.servlet.hardening;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stream that stops after {@code gateAt} bytes until the test opens the gate: lets a test act
 * (fill the disk, kill a connection) at a known point in the middle of a request body.
 */
final class GatedStream extends FilterInputStream {

    private final long gateAt;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);
    private long position;

    GatedStream(InputStream in, long gateAt) {
        super(in);
        this.gateAt = gateAt;
    }

    /** Waits until the reader has consumed the bytes before the gate. */
    boolean awaitGate(long seconds) throws InterruptedException {
        return reached.await(seconds, TimeUnit.SECONDS);
    }

    void open() {
        open.countDown();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (position >= gateAt && open.getCount() > 0) {
            reached.countDown();
            try {
                if (!open.await(60, TimeUnit.SECONDS)) {
                    throw new InterruptedIOException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted at the gate");
            }
        }
        int limit = position < gateAt ? (int) Math.min(len, gateAt - position) : len;
        int n = super.read(b, off, limit);
        if (n > 0) {
            position += n;
        }
        return n;
    }
}
