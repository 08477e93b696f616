package io.spillway.core.memory;

import static io.spillway.core.testing.Snapshots.GIB;
import static io.spillway.core.testing.Snapshots.MIB;
import static io.spillway.core.testing.Snapshots.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemorySnapshotTest {

    @Test
    void available_heapSmallest_isHeapHeadroom() {
        MemorySnapshot s = snapshot().heap(212 * MIB, GIB).physical(4 * GIB, 16 * GIB).build();
        assertEquals(812 * MIB, s.available());
        assertEquals("heap headroom", s.limitingFactor());
    }

    @Test
    void available_physicalSmallest_isPhysicalAvailable() {
        MemorySnapshot s = snapshot().heap(0, 4 * GIB).physical(300 * MIB, 16 * GIB).build();
        assertEquals(300 * MIB, s.available());
        assertEquals("physical memory", s.limitingFactor());
    }

    @Test
    void available_containerSmallest_isContainerHeadroom() {
        MemorySnapshot s = snapshot().heap(0, 4 * GIB).physical(8 * GIB, 16 * GIB).container(512 * MIB, 400 * MIB).build();
        assertEquals(112 * MIB, s.available());
        assertEquals("container limit", s.limitingFactor());
    }

    @Test
    void limitingFactor_tie_namesHeapFirstThenPhysical() {
        assertEquals("heap headroom", snapshot().heap(0, GIB).physical(GIB, 2 * GIB).build().limitingFactor());
        assertEquals("physical memory", snapshot().heap(0, 2 * GIB).physical(GIB, 2 * GIB)
                .container(2 * GIB, GIB).build().limitingFactor());
    }

    @Test
    void heapHeadroom_usedAboveMax_isZero() {
        MemorySnapshot s = snapshot().heap(2 * GIB, GIB).build();
        assertEquals(0, s.heapHeadroom());
        assertEquals(0, s.available());
    }

    @Test
    void containerHeadroom_usageAboveLimit_isZero() {
        MemorySnapshot s = snapshot().container(GIB, GIB + 1).build();
        assertEquals(0, s.containerHeadroom());
        assertEquals(0, s.available());
        assertEquals("container limit", s.limitingFactor());
    }

    @Test
    void containerHeadroom_withoutLimit_isUnbounded() {
        MemorySnapshot s = snapshot().noContainerLimit().build();
        assertFalse(s.hasContainerLimit());
        assertEquals(Long.MAX_VALUE, s.containerHeadroom());
    }

    @Test
    void hasContainerLimit_withLimit_isTrue() {
        assertTrue(snapshot().container(GIB, 0).build().hasContainerLimit());
    }

    @Test
    void heapRatio_isUsedOverMax() {
        assertEquals(0.25, snapshot().heap(256 * MIB, GIB).build().heapRatio());
        assertEquals(0.0, snapshot().heap(0, GIB).build().heapRatio());
        assertEquals(1.0, snapshot().heap(GIB, GIB).build().heapRatio());
    }

    @Test
    void heapRatio_unknownMax_countsAsFull() {
        assertEquals(1.0, snapshot().heap(10, 0).build().heapRatio());
        assertEquals(1.0, snapshot().heap(10, -1).build().heapRatio());
    }

    @Test
    void toString_withoutContainer_describesHeapAndPhysical() {
        MemorySnapshot s = snapshot().heap(212 * MIB, GIB).physical(4 * GIB, 16 * GIB).build();
        assertEquals("heap 212 MiB of 1.0 GiB, physical 4.0 GiB of 16 GiB available", s.toString());
    }

    @Test
    void toString_withContainer_describesItToo() {
        MemorySnapshot s = snapshot().heap(212 * MIB, GIB).physical(4 * GIB, 16 * GIB)
                .container(512 * MIB, 400 * MIB).build();
        assertEquals("heap 212 MiB of 1.0 GiB, physical 4.0 GiB of 16 GiB available, container 400 MiB of 512 MiB",
                s.toString());
    }
}
