package io.spillway.core.activity;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The uploads one filter is handling right now: counted by route for health and metrics, watched
 * for slow clients, drained on shutdown.
 *
 * <p>The slow-client watchdog is one daemon thread that checks every upload still receiving its
 * body each {@link MinimumRateGuard#spacingOf spacing} and aborts those below the minimum rate
 * with 408. A read blocked in the socket cannot notice a rate on its own (it returns only when a
 * byte comes), which is why the check runs beside the reads and the abort carries an unblocker.
 */
public final class ActiveUploads implements AutoCloseable {

    /** Status of an upload cut off for arriving too slowly. */
    public static final int TOO_SLOW = 408;

    private final long minUploadRate;
    private final Duration minRateWindow;
    private final LongSupplier millis;
    private final Set<ActiveUpload> uploads = ConcurrentHashMap.newKeySet();
    private final Object idle = new Object();
    private final ScheduledExecutorService watchdog;

    /**
     * @param minUploadRate bytes per second a body must keep up; 0 turns the guard off
     * @param minRateWindow how long a body may stay below the rate
     * @param millis        a monotonic clock in milliseconds (tests pass their own)
     * @param startWatchdog whether to run the watchdog thread (tests call {@link #checkRates()} instead)
     */
    public ActiveUploads(long minUploadRate, Duration minRateWindow, LongSupplier millis, boolean startWatchdog) {
        this.minUploadRate = minUploadRate;
        this.minRateWindow = minRateWindow;
        this.millis = millis;
        if (startWatchdog && minUploadRate > 0) {
            long spacing = MinimumRateGuard.spacingOf(minRateWindow);
            watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "spillway-slow-client-watchdog");
                thread.setDaemon(true);
                return thread;
            });
            watchdog.scheduleWithFixedDelay(this::checkRatesQuietly, spacing, spacing, TimeUnit.MILLISECONDS);
        } else {
            watchdog = null;
        }
    }

    /** Monotonic milliseconds from {@link System#nanoTime()}. */
    public static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /**
     * Starts tracking one upload request.
     *
     * @param route     its route label so far
     * @param unblocker makes a read blocked in this request's socket return (or does nothing)
     */
    public ActiveUpload begin(String route, Runnable unblocker) {
        MinimumRateGuard guard = minUploadRate > 0 ? new MinimumRateGuard(minUploadRate, minRateWindow, millis.getAsLong()) : null;
        ActiveUpload upload = new ActiveUpload(this, route, guard, unblocker);
        uploads.add(upload);
        return upload;
    }

    /** Uploads in flight. */
    public int count() {
        return uploads.size();
    }

    /** Uploads in flight by route label, sorted by label. */
    public Map<String, Integer> countByRoute() {
        Map<String, Integer> counts = new TreeMap<>();
        for (ActiveUpload upload : uploads) {
            counts.merge(upload.route(), 1, Integer::sum);
        }
        return counts;
    }

    /** Runs one watchdog round now: aborts every upload below the minimum rate. Returns how many. */
    public int checkRates() {
        int aborted = 0;
        long now = millis.getAsLong();
        for (ActiveUpload upload : uploads) {
            var tooSlow = upload.checkRate(now);
            if (tooSlow.isPresent() && upload.abort(TOO_SLOW, tooSlow.get())) {
                aborted++;
            }
        }
        return aborted;
    }

    /**
     * Waits until no upload is in flight or the timeout passed.
     *
     * @return whether none is left
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (!uploads.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
            }
        }
        return true;
    }

    /** Aborts every upload in flight with the status and reason; returns how many were aborted. */
    public int abortAll(int status, String reason) {
        int aborted = 0;
        for (ActiveUpload upload : List.copyOf(uploads)) {
            if (upload.abort(status, reason)) {
                aborted++;
            }
        }
        return aborted;
    }

    /** Stops the watchdog. Uploads still in flight stay tracked until they end. */
    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
    }

    void remove(ActiveUpload upload) {
        uploads.remove(upload);
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    private void checkRatesQuietly() {
        try {
            checkRates();
        } catch (RuntimeException e) {
            // one bad round must not stop the watchdog; the next round tries again
        }
    }
}
