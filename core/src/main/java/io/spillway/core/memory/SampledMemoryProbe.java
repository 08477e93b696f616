package io.spillway.core.memory;

import io.spillway.core.time.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gives the latest memory reading without ever making the caller wait for a probe.
 *
 * <p>The first reading is taken when this is built. Afterwards {@link #current()} returns the
 * last reading at once; when that reading is older than the interval, exactly one refresh is
 * handed to the executor (a compare-and-set guards it, as HikariCP's {@code PoolStats} does).
 * A reading never replaces one whose sampling started later, so a background refresh that
 * finishes late cannot undo a {@link #refreshNow()}.
 *
 * <p>The age of a reading is measured on the injected {@link Ticker}, not on the wall clock: when
 * the system time is set back, readings do not look fresh until the clock has caught up (and
 * when it is set forward, they are not all stale at once).
 */
public final class SampledMemoryProbe {

    private final MemoryProbe probe;
    private final Ticker ticker;
    private final Duration interval;
    private final Executor refresher;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final AtomicLong samplings = new AtomicLong();
    private final AtomicReference<Reading> latest;

    /**
     * Takes the first reading.
     *
     * @param ticker    the time a reading's age is measured on
     * @param interval  a reading this old is refreshed at the next {@link #current()}
     * @param refresher runs the refreshes (one at a time)
     */
    public SampledMemoryProbe(MemoryProbe probe, Ticker ticker, Duration interval, Executor refresher) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.refresher = Objects.requireNonNull(refresher, "refresher");
        this.latest = new AtomicReference<>(sample());
    }

    /** The latest reading; schedules a refresh in the background when it is stale. */
    public MemorySnapshot current() {
        Reading reading = latest.get();
        if (isStale(reading) && refreshing.compareAndSet(false, true)) {
            try {
                refresher.execute(this::refresh);
            } catch (RuntimeException rejected) {
                refreshing.set(false);
            }
        }
        return reading.snapshot();
    }

    /** Takes a reading now, on the calling thread (for the health endpoint and tests). */
    public MemorySnapshot refreshNow() {
        return keep(sample());
    }

    private Reading sample() {
        long order = samplings.incrementAndGet();
        long startedAt = ticker.nanos();
        return new Reading(probe.sample(), order, startedAt);
    }

    private MemorySnapshot keep(Reading reading) {
        return latest.accumulateAndGet(reading, (previous, next) -> next.order() < previous.order() ? previous : next)
                .snapshot();
    }

    private boolean isStale(Reading reading) {
        return Duration.ofNanos(ticker.nanos() - reading.startedAt()).compareTo(interval) >= 0;
    }

    private void refresh() {
        try {
            keep(sample());
        } finally {
            refreshing.set(false);
        }
    }

    /**
     * One reading, with the order in which its sampling started and the ticker's time then (a
     * reading is as old as the moment its probe was asked).
     */
    private record Reading(MemorySnapshot snapshot, long order, long startedAt) {
    }
}
