package io.spillway.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.testing.MutableClock;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SystemMemoryProbeTest {

    @Test
    void sample_onThisMachine_givesSaneNumbers() {
        Instant before = Instant.now();
        MemorySnapshot s = SystemMemoryProbe.create().sample();

        assertTrue(s.heapMax() > 0, s.toString());
        assertTrue(s.heapUsed() > 0 && s.heapUsed() <= s.heapMax(), s.toString());
        assertTrue(s.physicalTotal() > 0, s.toString());
        assertTrue(s.physicalAvailable() > 0 && s.physicalAvailable() <= s.physicalTotal(), s.toString());
        if (s.hasContainerLimit()) {
            assertTrue(s.containerLimit() > 0 && s.containerUsage() >= 0, s.toString());
        } else {
            assertEquals(MemorySnapshot.NO_LIMIT, s.containerUsage());
        }
        assertTrue(s.available() > 0 && s.available() <= s.heapMax(), s.toString());
        assertTrue(s.heapRatio() > 0 && s.heapRatio() <= 1, s.toString());
        assertFalse(s.takenAt().isBefore(before), s.takenAt() + " before " + before);
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
}
