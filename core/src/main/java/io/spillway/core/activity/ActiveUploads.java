package io.spillway.core.activity;

import io.spillway.core.threads.SpillwayThreads;
import io.spillway.core.time.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The uploads one filter is handling right now: counted by route for health and metrics, watched
 * for slow clients, drained on shutdown.
 *
 * <p>The slow-client watchdog is one daemon thread that checks every upload still receiving its
 * body each {@link MinimumRateGuard#spacingOf spacing} and aborts those below the minimum rate
 * with 408. A read blocked in the socket cannot notice a rate on its own (it returns only when a
 * byte comes), which is why the check runs beside the reads and the abort carries an unblocker.
 * Rates are measured on the injected {@link Ticker}; {@link #awaitIdle} waits in real time.
 */
public final class ActiveUploads implements AutoCloseable {

    /** Status of an upload cut off for arriving too slowly. */
    public static final int TOO_SLOW = 408;

    private final long minUploadRate;
    private final Duration minRateWindow;
    private final Ticker ticker;
    private final Set<ActiveUpload> uploads = ConcurrentHashMap.newKeySet();
    /** Uploads in flight by route label, kept as they begin, move and end: reading it costs no scan. */
    private final ConcurrentHashMap<String, AtomicInteger> byRoute = new ConcurrentHashMap<>();
    private final Object idle = new Object();
    private ScheduledExecutorService watchdog;

    /**
     * Tracks uploads; no watchdog runs until {@link #startWatchdog} (tests call {@link #checkRates()}
     * instead).
     *
     * @param minUploadRate bytes per second a body must keep up; 0 turns the guard off
     * @param minRateWindow how long a body may stay below the rate
     * @param ticker        the time the rates are measured on
     */
    public ActiveUploads(long minUploadRate, Duration minRateWindow, Ticker ticker) {
        this.minUploadRate = minUploadRate;
        this.minRateWindow = minRateWindow;
        this.ticker = ticker;
    }

    /**
     * Starts the watchdog thread, which runs {@link #checkRates()} each spacing of the window; does
     * nothing when the guard is off or the watchdog runs already.
     */
    public synchronized void startWatchdog(SpillwayThreads threads) {
        if (minUploadRate > 0 && watchdog == null) {
            Duration spacing = Duration.ofMillis(MinimumRateGuard.spacingOf(minRateWindow));
            watchdog = threads.every("slow-client-watchdog", spacing, this::checkRatesQuietly);
        }
    }

    /**
     * Starts tracking one upload request.
     *
     * @param route     its route label so far
     * @param unblocker makes a read blocked in this request's socket return (or does nothing)
     */
    public ActiveUpload begin(String route, Runnable unblocker) {
        MinimumRateGuard guard = minUploadRate > 0
                ? new MinimumRateGuard(minUploadRate, minRateWindow, ticker.millis()) : null;
        ActiveUpload upload = new ActiveUpload(this, route, guard, unblocker);
        counter(route).incrementAndGet();
        uploads.add(upload);
        return upload;
    }

    /** Uploads in flight. */
    public int count() {
        return uploads.size();
    }

    /** Uploads in flight by route label, sorted by label (labels with none left out). */
    public Map<String, Integer> countByRoute() {
        Map<String, Integer> counts = new TreeMap<>();
        byRoute.forEach((label, count) -> {
            if (count.get() > 0) {
                counts.put(label, count.get());
            }
        });
        return counts;
    }

    /** Uploads in flight on one route label, read without a scan (admission asks it per request). */
    public int countOnRoute(String label) {
        AtomicInteger count = byRoute.get(label);
        return count == null ? 0 : count.get();
    }

    /** Runs one watchdog round now: aborts every upload below the minimum rate. Returns how many. */
    public int checkRates() {
        int aborted = 0;
        long now = ticker.millis();
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
    public synchronized void close() {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
    }

    /** An upload in flight changed its route label. */
    void moved(String from, String to) {
        counter(from).decrementAndGet();
        counter(to).incrementAndGet();
    }

    /** Called once per upload, by its {@code end()}, with its last route label. */
    void remove(ActiveUpload upload) {
        counter(upload.route()).decrementAndGet();
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

    private AtomicInteger counter(String label) {
        return byRoute.computeIfAbsent(label, any -> new AtomicInteger());
    }
}
