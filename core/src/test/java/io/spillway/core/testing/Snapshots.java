package io.spillway.core.testing;

import io.spillway.core.memory.MemorySnapshot;
import java.time.Instant;

/**
 * Builds {@link MemorySnapshot}s from plain numbers. Starts from a roomy machine with no container
 * limit: heap 0 of 1 GiB, physical 8 GiB available of 16 GiB, taken at {@link MutableClock#START}.
 *
 * <pre>{@code
 * MemorySnapshot s = Snapshots.snapshot().heapHeadroom(812L << 20).build();
 * }</pre>
 */
public final class Snapshots {

    public static final long KIB = 1L << 10;
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;

    private long heapUsed = 0;
    private long heapMax = GIB;
    private long physicalTotal = 16 * GIB;
    private long physicalAvailable = 8 * GIB;
    private long containerLimit = MemorySnapshot.NO_LIMIT;
    private long containerUsage = MemorySnapshot.NO_LIMIT;
    private Instant takenAt = MutableClock.START;
    private long openDescriptors = MemorySnapshot.NO_LIMIT;
    private long maxDescriptors = MemorySnapshot.NO_LIMIT;

    private Snapshots() {
    }

    /** A builder with the roomy defaults. */
    public static Snapshots snapshot() {
        return new Snapshots();
    }

    /** A builder that starts from an existing snapshot. */
    public static Snapshots from(MemorySnapshot s) {
        Snapshots b = new Snapshots();
        b.heapUsed = s.heapUsed();
        b.heapMax = s.heapMax();
        b.physicalTotal = s.physicalTotal();
        b.physicalAvailable = s.physicalAvailable();
        b.containerLimit = s.containerLimit();
        b.containerUsage = s.containerUsage();
        b.takenAt = s.takenAt();
        b.openDescriptors = s.openDescriptors();
        b.maxDescriptors = s.maxDescriptors();
        return b;
    }

    public Snapshots heap(long used, long max) {
        heapUsed = used;
        heapMax = max;
        return this;
    }

    /** Keeps the heap maximum and sets the used bytes so that {@code headroom} bytes remain. */
    public Snapshots heapHeadroom(long headroom) {
        heapUsed = heapMax - headroom;
        return this;
    }

    /** Keeps the heap maximum and sets the used bytes to {@code ratio} of it. */
    public Snapshots heapRatio(double ratio) {
        heapUsed = (long) (heapMax * ratio);
        return this;
    }

    public Snapshots physical(long available, long total) {
        physicalAvailable = available;
        physicalTotal = total;
        return this;
    }

    public Snapshots container(long limit, long usage) {
        containerLimit = limit;
        containerUsage = usage;
        return this;
    }

    public Snapshots noContainerLimit() {
        return container(MemorySnapshot.NO_LIMIT, MemorySnapshot.NO_LIMIT);
    }

    /** The process's open file descriptors against their limit (unknown unless set). */
    public Snapshots descriptors(long open, long max) {
        openDescriptors = open;
        maxDescriptors = max;
        return this;
    }

    public Snapshots takenAt(Instant instant) {
        takenAt = instant;
        return this;
    }

    public MemorySnapshot build() {
        return new MemorySnapshot(heapUsed, heapMax, physicalTotal, physicalAvailable,
                containerLimit, containerUsage, takenAt, openDescriptors, maxDescriptors);
    }
}
