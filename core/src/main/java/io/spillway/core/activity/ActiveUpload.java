package io.spillway.core.activity;

import io.spillway.core.UploadRejectedException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * One upload request while the filter handles it: counts the body's bytes as they are read,
 * guards a minimum rate, and can be aborted from another thread (the slow-client watchdog, a
 * shutdown).
 *
 * <p>Abort is cooperative plus a nudge: it records the refusal, which the next read (or the read
 * that is blocked now) throws as an {@link UploadRejectedException}, and runs the
 * {@code unblocker} the container adapter supplied, which makes a read blocked in the socket
 * return at once. The unblocker only runs while the body is still being received and the request
 * has not ended, under the lock that {@link #end()} takes, so it can never touch a connection
 * that has moved on to another request.
 */
public final class ActiveUpload {

    private final ActiveUploads owner;
    private final MinimumRateGuard guard;
    private final Runnable unblocker;
    private final AtomicLong bytes = new AtomicLong();
    private volatile LongConsumer listener = n -> { };
    private volatile String route;
    private volatile UploadRejectedException abort;
    private boolean receiving = true;
    private boolean ended;

    ActiveUpload(ActiveUploads owner, String route, MinimumRateGuard guard, Runnable unblocker) {
        this.owner = owner;
        this.route = route;
        this.guard = guard;
        this.unblocker = unblocker;
    }

    /** The body, counted and guarded. */
    public InputStream meter(InputStream body) {
        return new MeteredInputStream(body, this);
    }

    /** Bytes of the body read so far. */
    public long bytesRead() {
        return bytes.get();
    }

    /** The route label shown in health and metrics (e.g. BUFFERED, STREAMED, RESUMABLE). */
    public String route() {
        return route;
    }

    public synchronized void route(String label) {
        if (!ended) {
            owner.moved(route, label);
        }
        this.route = label;
    }

    /** Receives the count of every read from now on (a progress entry). */
    public void listen(LongConsumer listener) {
        this.listener = listener;
    }

    /** The body has been read completely: the rate no longer matters and reads are no longer broken. */
    public synchronized void bodyComplete() {
        receiving = false;
    }

    /**
     * Aborts the upload with a status and reason, unless it was aborted already or has ended.
     *
     * @return whether this call aborted it
     */
    public synchronized boolean abort(int status, String reason) {
        if (ended || abort != null) {
            return false;
        }
        abort = new UploadRejectedException(status, reason);
        if (receiving) {
            try {
                unblocker.run();
            } catch (RuntimeException ignored) {
                // the read fails at its next byte instead
            }
        }
        return true;
    }

    /** The refusal an abort recorded, if any. */
    public Optional<UploadRejectedException> aborted() {
        return Optional.ofNullable(abort);
    }

    /** Ends tracking: removes the upload from its owner. Safe to call more than once. */
    public void end() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            owner.remove(this);
        }
    }

    /** The rate check of the watchdog; empty when the body is complete or fast enough. */
    Optional<String> checkRate(long nowMillis) {
        synchronized (this) {
            if (guard == null || !receiving || ended) {
                return Optional.empty();
            }
        }
        return guard.check(nowMillis, bytes.get());
    }

    void afterRead(long n) throws UploadRejectedException {
        UploadRejectedException refusal = abort;
        if (refusal != null) {
            throw copyOf(refusal, null);
        }
        if (n > 0) {
            bytes.addAndGet(n);
            listener.accept(n);
        }
    }

    void afterFailedRead(java.io.IOException failure) throws UploadRejectedException {
        UploadRejectedException refusal = abort;
        if (refusal != null) {
            throw copyOf(refusal, failure);
        }
    }

    private static UploadRejectedException copyOf(UploadRejectedException refusal, Throwable cause) {
        return new UploadRejectedException(refusal.status(), refusal.reason(), cause);
    }
}
