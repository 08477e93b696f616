package io.spillway.core.testing;

import io.spillway.core.memory.MemoryProbe;
import io.spillway.core.memory.MemorySnapshot;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link MemoryProbe} that returns whatever the test set, stamped with the time of a (usually
 * {@link MutableClock}) clock, and counts how often it was asked. A hook runs inside every sample,
 * so tests can make sampling block or fail. Thread-safe.
 */
public final class FakeMemoryProbe implements MemoryProbe {

    private final Clock clock;
    private final AtomicInteger samples = new AtomicInteger();
    private volatile MemorySnapshot next;
    private volatile Runnable onSample = () -> { };

    /** A probe that reports the roomy default of {@link Snapshots}. */
    public FakeMemoryProbe(Clock clock) {
        this(clock, Snapshots.snapshot().build());
    }

    public FakeMemoryProbe(Clock clock, MemorySnapshot initial) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.next = Objects.requireNonNull(initial, "initial");
    }

    /** What the following samples report (their {@code takenAt} is replaced by the clock's time). */
    public void set(MemorySnapshot snapshot) {
        next = Objects.requireNonNull(snapshot, "snapshot");
    }

    /** Runs inside every later sample, before it returns: block on a latch, or throw. */
    public void onSample(Runnable hook) {
        onSample = Objects.requireNonNull(hook, "hook");
    }

    /** How many samples were taken. */
    public int samples() {
        return samples.get();
    }

    @Override
    public MemorySnapshot sample() {
        samples.incrementAndGet();
        onSample.run();
        return Snapshots.from(next).takenAt(clock.instant()).build();
    }
}
