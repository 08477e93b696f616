package io.spillway.core.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gives the latest memory reading without ever making the caller wait for a probe.
 *
 * <p>The first reading is taken when this is built. Afterwards {@link #current()} returns the
 * last reading at once; when that reading is older than the interval, exactly one refresh is
 * handed to the executor (a compare-and-set guards it, as HikariCP's {@code PoolStats} does).
 * A reading never replaces a newer one, so a background refresh that finishes late cannot undo
 * a {@link #refreshNow()}.
 */
public final class SampledMemoryProbe {

    private final MemoryProbe probe;
    private final Clock clock;
    private final Duration interval;
    private final Executor refresher;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final AtomicReference<MemorySnapshot> latest;

    public SampledMemoryProbe(MemoryProbe probe, Clock clock, Duration interval, Executor refresher) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.refresher = Objects.requireNonNull(refresher, "refresher");
        this.latest = new AtomicReference<>(probe.sample());
    }

    /** The latest reading; schedules a refresh in the background when it is stale. */
    public MemorySnapshot current() {
        MemorySnapshot snapshot = latest.get();
        if (isStale(snapshot) && refreshing.compareAndSet(false, true)) {
            try {
                refresher.execute(this::refresh);
            } catch (RuntimeException rejected) {
                refreshing.set(false);
            }
        }
        return snapshot;
    }

    /** Takes a reading now, on the calling thread (for the health endpoint and tests). */
    public MemorySnapshot refreshNow() {
        return keep(probe.sample());
    }

    private MemorySnapshot keep(MemorySnapshot reading) {
        return latest.accumulateAndGet(reading,
                (previous, next) -> next.takenAt().isBefore(previous.takenAt()) ? previous : next);
    }

    private boolean isStale(MemorySnapshot snapshot) {
        return Duration.between(snapshot.takenAt(), clock.instant()).compareTo(interval) >= 0;
    }

    private void refresh() {
        try {
            keep(probe.sample());
        } finally {
            refreshing.set(false);
        }
    }
}
