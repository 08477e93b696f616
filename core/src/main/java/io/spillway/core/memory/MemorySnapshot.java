package io.spillway.core.memory;

import io.spillway.core.config.Sizes;
import java.time.Instant;

/**
 * One reading of the memory that uploads may use: the JVM heap, the machine's physical memory
 * and, when the process runs under a cgroup limit, the container's; and of the process's file
 * descriptors, which every upload in flight also holds (its connection, its file).
 *
 * @param heapUsed          bytes of heap in use outside the young generation's eden space (which
 *                          holds mostly garbage the next minor collection frees); the old
 *                          generation's garbage is included until a collection reclaims it
 * @param heapMax           the heap's maximum size
 * @param physicalTotal     the machine's physical memory
 * @param physicalAvailable physical memory available to new allocations (Linux MemAvailable)
 * @param containerLimit    the cgroup memory limit, or {@link #NO_LIMIT}
 * @param containerUsage    the cgroup's memory usage, or {@link #NO_LIMIT} when there is no limit
 * @param takenAt           when the reading was taken
 * @param openDescriptors   the process's open file descriptors, or {@link #NO_LIMIT} when unknown
 * @param maxDescriptors    the most file descriptors the process may open, or {@link #NO_LIMIT}
 *                          when unknown
 */
public record MemorySnapshot(long heapUsed, long heapMax, long physicalTotal, long physicalAvailable,
                             long containerLimit, long containerUsage, Instant takenAt,
                             long openDescriptors, long maxDescriptors) {

    /** Marks the absence of a container limit (or of a file descriptor reading). */
    public static final long NO_LIMIT = -1;

    /** A reading without file descriptors (a probe that cannot count them). */
    public MemorySnapshot(long heapUsed, long heapMax, long physicalTotal, long physicalAvailable,
                          long containerLimit, long containerUsage, Instant takenAt) {
        this(heapUsed, heapMax, physicalTotal, physicalAvailable, containerLimit, containerUsage, takenAt,
                NO_LIMIT, NO_LIMIT);
    }

    /** Whether the reading counts the process's file descriptors against their limit. */
    public boolean hasDescriptorLimit() {
        return openDescriptors != NO_LIMIT && maxDescriptors != NO_LIMIT;
    }

    /** File descriptors the process may still open, or {@link Long#MAX_VALUE} when unknown. */
    public long descriptorHeadroom() {
        return hasDescriptorLimit() ? Math.max(0, maxDescriptors - openDescriptors) : Long.MAX_VALUE;
    }

    /** Heap bytes not yet in use. */
    public long heapHeadroom() {
        return Math.max(0, heapMax - heapUsed);
    }

    /** Container bytes not yet in use, or {@link Long#MAX_VALUE} without a limit. */
    public long containerHeadroom() {
        return hasContainerLimit() ? Math.max(0, containerLimit - containerUsage) : Long.MAX_VALUE;
    }

    public boolean hasContainerLimit() {
        return containerLimit != NO_LIMIT;
    }

    /** The smallest of heap headroom, physical available and container headroom. */
    public long available() {
        return Math.min(heapHeadroom(), Math.min(physicalAvailable, containerHeadroom()));
    }

    /** Which reading {@link #available()} comes from, in words. */
    public String limitingFactor() {
        long available = available();
        if (available == heapHeadroom()) {
            return "heap headroom";
        }
        if (available == physicalAvailable) {
            return "physical memory";
        }
        return "container limit";
    }

    /** Heap used as a share of the heap maximum, 0 to 1. */
    public double heapRatio() {
        return heapMax <= 0 ? 1.0 : (double) heapUsed / heapMax;
    }

    @Override
    public String toString() {
        return "heap " + Sizes.format(heapUsed) + " of " + Sizes.format(heapMax)
                + ", physical " + Sizes.format(physicalAvailable) + " of " + Sizes.format(physicalTotal) + " available"
                + (hasContainerLimit() ? ", container " + Sizes.format(containerUsage) + " of " + Sizes.format(containerLimit) : "")
                + (hasDescriptorLimit() ? ", file descriptors " + openDescriptors + " of " + maxDescriptors : "");
    }
}
