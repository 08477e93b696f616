package io.spillway.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.spillway.core.testing.MutableClock;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemMemoryProbeTest {

    @Test
    void sample_onThisMachine_givesSaneNumbers() {
        Instant before = Instant.now();
        MemorySnapshot s = SystemMemoryProbe.create().sample();

        assertTrue(s.heapMax() > 0, s.toString());
        assertTrue(s.heapUsed() >= 0 && s.heapUsed() <= s.heapMax(), s.toString());
        assertTrue(s.physicalTotal() > 0, s.toString());
        assertTrue(s.physicalAvailable() > 0 && s.physicalAvailable() <= s.physicalTotal(), s.toString());
        if (s.hasContainerLimit()) {
            assertTrue(s.containerLimit() > 0 && s.containerUsage() >= 0, s.toString());
        } else {
            assertEquals(MemorySnapshot.NO_LIMIT, s.containerUsage());
        }
        assertTrue(s.available() > 0 && s.available() <= s.heapMax(), s.toString());
        assertTrue(s.heapRatio() >= 0 && s.heapRatio() <= 1, s.toString());
        assertFalse(s.takenAt().isBefore(before), s.takenAt() + " before " + before);
        assertTrue(s.hasDescriptorLimit(), "Linux counts file descriptors: " + s);
        assertTrue(s.openDescriptors() > 3 && s.openDescriptors() < s.maxDescriptors(), s.toString());
    }

    @Test
    void sample_usesTheGivenCgroupAndClock() throws URISyntaxException {
        MutableClock clock = new MutableClock();
        Path cgroup = Path.of(SystemMemoryProbeTest.class.getResource("/cgroup/v2-limit").toURI());
        MemorySnapshot s = new SystemMemoryProbe(new CgroupMemory(cgroup), clock).sample();
        assertEquals(536_870_912, s.containerLimit());
        assertEquals(123_456_789, s.containerUsage());
        assertEquals(MutableClock.START, s.takenAt());
    }

    @Test
    void sample_withoutCgroupLimit_reportsNoLimit() throws URISyntaxException {
        Path cgroup = Path.of(SystemMemoryProbeTest.class.getResource("/cgroup/v2-max").toURI());
        MemorySnapshot s = new SystemMemoryProbe(new CgroupMemory(cgroup), new MutableClock()).sample();
        assertFalse(s.hasContainerLimit());
        assertEquals(MemorySnapshot.NO_LIMIT, s.containerLimit());
        assertEquals(MemorySnapshot.NO_LIMIT, s.containerUsage());
    }

    @Test
    void heapInUse_leavesEdenOut_andCountsSurvivorAndOldGeneration() {
        List<MemoryPoolMXBean> pools = List.of(pool("G1 Eden Space", 40 << 20), pool("G1 Old Gen", 7 << 20),
                pool("G1 Survivor Space", 1 << 20));
        assertEquals(8 << 20, SystemMemoryProbe.heapInUse(48 << 20, pools));
    }

    @Test
    void heapInUse_withOnePoolAndNoEden_countsIt() {
        assertEquals(30 << 20, SystemMemoryProbe.heapInUse(31 << 20, List.of(pool("ZHeap", 30 << 20))));
    }

    @Test
    void heapInUse_withoutPools_countsTheWholeHeap() {
        assertEquals(48 << 20, SystemMemoryProbe.heapInUse(48 << 20, List.of()));
    }

    @Test
    void heapInUse_aPoolWithoutAReading_countsNothing() {
        MemoryPoolMXBean invalid = mock(MemoryPoolMXBean.class);
        when(invalid.getName()).thenReturn("Tenured Gen");
        assertEquals(2 << 20, SystemMemoryProbe.heapInUse(48 << 20, List.of(invalid, pool("Survivor Space", 2 << 20))));
    }

    @Test
    void heapPools_ofThisJvm_areTheHeapOnes_andOneOfThemIsEden() {
        List<MemoryPoolMXBean> heap = SystemMemoryProbe.heapPools(ManagementFactory.getMemoryPoolMXBeans());
        assertFalse(heap.isEmpty());
        assertTrue(heap.stream().allMatch(pool -> pool.getType() == MemoryType.HEAP), heap.toString());
        assertTrue(heap.stream().anyMatch(pool -> pool.getName().contains("Eden")),
                "the test JVM runs a generational collector: " + heap.stream().map(MemoryPoolMXBean::getName).toList());
    }

    private static MemoryPoolMXBean pool(String name, long used) {
        MemoryPoolMXBean pool = mock(MemoryPoolMXBean.class);
        when(pool.getName()).thenReturn(name);
        when(pool.getType()).thenReturn(MemoryType.HEAP);
        when(pool.getUsage()).thenReturn(new MemoryUsage(0, used, used, -1));
        return pool;
    }
}
