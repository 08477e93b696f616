package io.spillway.servlet.testing;

import io.spillway.core.memory.MemorySnapshot;
import java.time.Instant;

/**
 * Memory readings for a filter whose memory probe the test controls, so that routing and
 * admission do not depend on the machine the tests run on.
 */
public final class MemoryReadings {

    public static final long GIB = 1L << 30;

    private MemoryReadings() {
    }

    /** {@code heapUsed} of {@code heapMax} in use, 8 of 16 GiB of physical memory free, no container limit. */
    public static MemorySnapshot heap(long heapUsed, long heapMax) {
        return new MemorySnapshot(heapUsed, heapMax, 16 * GIB, 8 * GIB, MemorySnapshot.NO_LIMIT,
                MemorySnapshot.NO_LIMIT, Instant.now());
    }
}
