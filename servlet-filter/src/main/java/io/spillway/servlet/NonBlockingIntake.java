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
 * spool is its owner's to delete. After a refusal it can go on reading only to throw the rest of
 * the body away ({@link #discardRest}), so that no thread waits in the container's own swallow.
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

    /** Read per callback; borrowed for the callback only, so an idle upload holds no buffer. */
    private static final int CHUNK = 16 * 1024;
    private static final ReadBuffers BUFFERS = new ReadBuffers(CHUNK,
            Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));
    /**
     * The most a refused body is read and thrown away before its input is half-closed (as much as
     * Tomcat's own {@code maxSwallowSize}).
     */
    static final long DISCARD_LIMIT = 2L << 20;

    private final ServletInputStream body;
    private final BodySpool spool;
    private final Outcome outcome;
    private final Runnable halfClose;
    /** Set once by whichever ends the intake first: the last byte, a failed read, the container. */
    private final AtomicBoolean handedOver = new AtomicBoolean();
    private volatile boolean readFailed;
    private volatile Runnable discarded;
    private long discardedBytes;

    /**
     * @param halfClose ends the connection's input (the read unblocker), for a refused body that
     *                  goes on past {@link #DISCARD_LIMIT}
     */
    NonBlockingIntake(ServletInputStream body, BodySpool spool, Outcome outcome, Runnable halfClose) {
        this.body = body;
        this.spool = spool;
        this.outcome = outcome;
        this.halfClose = halfClose;
    }

    /**
     * A reader that only throws away the rest of a body that was refused before it was read, then
     * runs {@code then}: no thread waits for a slow client in the container's own blocking swallow
     * of an unread body, and the refusal is not lost to a reset (which closing a connection with
     * unread bytes can cause).
     */
    static NonBlockingIntake discarding(ServletInputStream body, Runnable halfClose, Runnable then) {
        NonBlockingIntake reader = new NonBlockingIntake(body, null, null, halfClose);
        reader.handedOver.set(true);
        reader.discarded = once(then);
        return reader;
    }

    @Override
    public void onDataAvailable() {
        byte[] buffer = BUFFERS.borrow();
        try {
            readWhileReady(buffer);
        } finally {
            BUFFERS.giveBack(buffer);
        }
    }

    private void readWhileReady(byte[] buffer) {
        while (!handedOver.get() || discarded != null) {
            int n;
            try {
                if (!body.isReady()) {
                    return;
                }
                n = body.read(buffer);
            } catch (IOException e) {
                readFailed = true;
                if (discarded != null) {
                    discarded.run();
                } else {
                    fail(e);
                }
                return;
            }
            if (n < 0) {
                return;
            }
            if (discarded != null) {
                if (!discard(n)) {
                    return;
                }
                continue;
            }
            try {
                spool.write(buffer, 0, n);
            } catch (IOException refused) {
                fail(refused);
            }
        }
    }

    @Override
    public void onAllDataRead() {
        if (handedOver.compareAndSet(false, true)) {
            outcome.arrived(spool);
        } else if (discarded != null) {
            discarded.run();
        }
    }

    @Override
    public void onError(Throwable failure) {
        readFailed = true;
        if (discarded != null) {
            discarded.run();
            return;
        }
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

    /**
     * After the request was answered: throws the rest of the body away as it arrives, then runs
     * {@code then}; at once when nothing more can arrive (the body ended or its read failed).
     */
    void discardRest(Runnable then) {
        Runnable once = once(then);
        if (readFailed || body.isFinished()) {
            once.run();
            return;
        }
        discarded = once;
    }

    /** Counts thrown-away bytes; past the limit, ends the input and the request. @return whether to go on */
    private boolean discard(int n) {
        discardedBytes += n;
        if (discardedBytes <= DISCARD_LIMIT) {
            return true;
        }
        halfClose.run();
        discarded.run();
        return false;
    }

    private void fail(IOException failure) {
        if (handedOver.compareAndSet(false, true)) {
            outcome.failed(failure);
        }
    }

    /** The action, run the first time only. */
    static Runnable once(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
    }
}
