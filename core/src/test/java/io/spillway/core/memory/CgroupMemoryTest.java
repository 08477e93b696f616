package io.spillway.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads fixture trees under {@code src/test/resources/cgroup/}, shaped like {@code /sys/fs/cgroup}. */
class CgroupMemoryTest {

    private static CgroupMemory fixture(String name) {
        try {
            return new CgroupMemory(Path.of(CgroupMemoryTest.class.getResource("/cgroup/" + name).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CgroupMemory nested(String name) {
        try {
            return new CgroupMemory(Path.of(CgroupMemoryTest.class.getResource("/cgroup/" + name).toURI()),
                    Path.of(CgroupMemoryTest.class.getResource("/cgroup/" + name + ".self").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void read_v2OwnCgroupFromProcSelf_takesTheTightestLimitUpTheTree_withoutInactiveFileCache() {
        assertEquals(Optional.of(new CgroupMemory.Reading(536_870_912, 314_572_800 - 104_857_600)),
                nested("v2-nested").read());
    }

    @Test
    void read_v1OwnMemoryCgroupFromProcSelf_findsTheContainerLimitBelowAnUnlimitedRoot() {
        assertEquals(Optional.of(new CgroupMemory.Reading(268_435_456, 167_772_160 - 67_108_864)),
                nested("v1-nested").read());
    }

    @Test
    void read_v2HostRootWithoutMembership_hasNoLimit() {
        assertEquals(Optional.empty(), fixture("v2-nested").read());
    }

    @Test
    void read_v2WithALimit_givesLimitAndUsage() {
        assertEquals(Optional.of(new CgroupMemory.Reading(536_870_912, 123_456_789)), fixture("v2-limit").read());
    }

    @Test
    void read_v2Max_meansNoLimit() {
        assertEquals(Optional.empty(), fixture("v2-max").read());
    }

    @Test
    void read_v2MaxNextToV1Files_stillMeansNoLimit() {
        assertEquals(Optional.empty(), fixture("v2-max-with-v1-files").read());
    }

    @Test
    void read_v2WithoutMemoryCurrent_countsUsageAsZero() {
        assertEquals(Optional.of(new CgroupMemory.Reading(536_870_912, 0)), fixture("v2-no-current").read());
    }

    @Test
    void read_v2WithGarbageUsage_countsUsageAsZero() {
        assertEquals(Optional.of(new CgroupMemory.Reading(536_870_912, 0)), fixture("v2-garbage-current").read());
    }

    @Test
    void read_v1WithALimit_givesLimitAndUsage() {
        assertEquals(Optional.of(new CgroupMemory.Reading(268_435_456, 104_857_600)), fixture("v1-limit").read());
    }

    @Test
    void read_v1Unlimited_meansNoLimit() {
        assertEquals(Optional.empty(), fixture("v1-unlimited").read());
    }

    @Test
    void read_noMemoryController_meansNoLimit() {
        assertEquals(Optional.empty(), fixture("no-memory-controller").read());
    }

    @Test
    void read_missingDirectory_meansNoLimit(@TempDir Path dir) {
        assertEquals(Optional.empty(), new CgroupMemory(dir.resolve("does-not-exist")).read());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2-garbage", "v2-empty", "v2-negative", "v1-garbage", "v1-overflow"})
    void read_garbage_meansNoLimit(String fixture) {
        assertEquals(Optional.empty(), fixture(fixture).read());
    }

    @Test
    void read_limitFileIsADirectory_meansNoLimit(@TempDir Path dir) throws Exception {
        java.nio.file.Files.createDirectory(dir.resolve("memory.max"));
        assertEquals(Optional.empty(), new CgroupMemory(dir).read());
    }

    @Test
    void ofSystem_readsThisMachineWithoutFailing() {
        Optional<CgroupMemory.Reading> reading = CgroupMemory.ofSystem().read();
        reading.ifPresent(r -> {
            assertTrue(r.limit() > 0, r.toString());
            assertTrue(r.usage() >= 0, r.toString());
        });
    }
}
