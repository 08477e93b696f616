package io.spillway.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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

    @ParameterizedTest
    @ValueSource(strings = {"v2-nested", "v2-max", "v2-max-with-v1-files", "v1-unlimited", "no-memory-controller"})
    void read_treeWithoutALimit_meansNoLimit(String fixture) {
        assertEquals(Optional.empty(), fixture(fixture).read());
    }

    static Stream<Arguments> limitedTrees() {
        return Stream.of(
                Arguments.of("v2-limit", new CgroupMemory.Reading(536_870_912, 123_456_789)),
                Arguments.of("v2-no-current", new CgroupMemory.Reading(536_870_912, 0)),
                Arguments.of("v2-garbage-current", new CgroupMemory.Reading(536_870_912, 0)),
                Arguments.of("v1-limit", new CgroupMemory.Reading(268_435_456, 104_857_600)));
    }

    /** v2-no-current and v2-garbage-current count a missing or unreadable usage as zero. */
    @ParameterizedTest(name = "{0} reads {1}")
    @MethodSource("limitedTrees")
    void read_treeWithALimit_givesLimitAndUsage(String fixture, CgroupMemory.Reading expected) {
        assertEquals(Optional.of(expected), fixture(fixture).read());
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
