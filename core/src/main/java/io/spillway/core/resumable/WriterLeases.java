package io.spillway.core.resumable;

import io.spillway.core.UploadRejectedException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per upload, in this JVM. A request that wants to write an upload takes its lease; a
 * second request gets 423 while the holder still receives bytes, and takes the lease over once the
 * holder has received nothing for the stall timeout (a half-open socket must not block a retry for
 * long). A holder whose lease was taken over notices it before it commits and discards its bytes.
 */
final class WriterLeases {

    private final ConcurrentHashMap<String, Lease> held = new ConcurrentHashMap<>();
    private final Clock clock;
    private final long stallMillis;

    WriterLeases(Clock clock, Duration stallTimeout) {
        this.clock = clock;
        this.stallMillis = stallTimeout.toMillis();
    }

    /**
     * Takes the lease of an upload.
     *
     * @throws UploadRejectedException 423 while another request is actively writing the upload
     */
    Lease acquire(String id) throws UploadRejectedException {
        Lease mine = new Lease(clock);
        Lease winner = held.compute(id, (key, current) -> {
            if (current == null) {
                return mine;
            }
            if (current.stalled(stallMillis)) {
                current.revoke();
                return mine;
            }
            return current;
        });
        if (winner != mine) {
            throw new UploadRejectedException(423, "another request is writing this upload; retry shortly");
        }
        return mine;
    }

    /** Gives the lease back, unless it was taken over meanwhile. */
    void release(String id, Lease lease) {
        held.remove(id, lease);
    }

    /**
     * Waits until no request is actively writing the upload (a stalled writer counts as idle).
     *
     * @return whether the upload became idle within the stall timeout
     */
    boolean awaitIdle(String id) {
        long deadline = System.nanoTime() + stallMillis * 1_000_000;
        while (busy(id)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Whether a request is actively writing the upload now. */
    boolean busy(String id) {
        Lease lease = held.get(id);
        return lease != null && !lease.stalled(stallMillis);
    }

    /** The right to write one upload, with the time its holder last received bytes. */
    static final class Lease {
        private final Clock clock;
        private volatile long lastProgress;
        private volatile boolean revoked;

        Lease(Clock clock) {
            this.clock = clock;
            this.lastProgress = clock.millis();
        }

        /** Records that bytes arrived. */
        void touch() {
            lastProgress = clock.millis();
        }

        boolean stalled(long stallMillis) {
            return clock.millis() - lastProgress >= stallMillis;
        }

        void revoke() {
            revoked = true;
        }

        /** Whether another request took the upload over. */
        boolean revoked() {
            return revoked;
        }
    }
}
