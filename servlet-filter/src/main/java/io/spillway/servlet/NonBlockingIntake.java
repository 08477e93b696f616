package io.spillway.servlet;

import io.spillway.core.upload.BodySpool;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a request body with the Servlet {@link ReadListener} into a {@link BodySpool}: the
 * container calls it when bytes are there, it takes what can be read without blocking and returns,
 * so a slow client holds no thread between its packets (what {@code nginx} does when it buffers a
 * body for its upstreams). When the body has ended, or failed, it hands over exactly once; the
 * spool is its owner's to delete.
 *
 * <p>Reads go through the metered stream: the slow-client watchdog, progress and aborts work as on
 * the blocking path (an aborted upload's next read fails with its refusal; on Tomcat the watchdog's
 * half-close of the input makes that next read happen at once).
 */
final class NonBlockingIntake implements ReadListener {

    /** What happens once the body is in, or could not be read. */
    interface Outcome {
        /** Every byte is in the spool; runs on a container thread. */
        void arrived(BodySpool spool);

        /** The body could not be read or stored; the spool holds what arrived before. */
        void failed(IOException failure);
    }

    /** Read per callback; allocated for the callback only, so an idle upload holds no buffer. */
    private static final int CHUNK = 16 * 1024;

    private final ServletInputStream body;
    private final BodySpool spool;
    private final Outcome outcome;
    /** Set once by whichever ends the intake first: the last byte, a failed read, the container. */
    private final AtomicBoolean handedOver = new AtomicBoolean();

    NonBlockingIntake(ServletInputStream body, BodySpool spool, Outcome outcome) {
        this.body = body;
        this.spool = spool;
        this.outcome = outcome;
    }

    @Override
    public void onDataAvailable() {
        if (handedOver.get()) {
            return;
        }
        byte[] buffer = new byte[CHUNK];
        try {
            while (body.isReady()) {
                int n = body.read(buffer);
                if (n < 0) {
                    return;
                }
                spool.write(buffer, 0, n);
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public void onAllDataRead() {
        if (handedOver.compareAndSet(false, true)) {
            outcome.arrived(spool);
        }
    }

    @Override
    public void onError(Throwable failure) {
        fail(failure instanceof IOException io ? io : new IOException(failure));
    }

    /**
     * Stops taking bytes: the container ended the request another way.
     *
     * @return whether the body was still arriving, so the caller answers the request
     */
    boolean stop() {
        return handedOver.compareAndSet(false, true);
    }

    private void fail(IOException failure) {
        if (handedOver.compareAndSet(false, true)) {
            outcome.failed(failure);
        }
    }
}
