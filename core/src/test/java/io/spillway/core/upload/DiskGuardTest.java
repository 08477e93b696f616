package io.spillway.core.upload;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spillway.core.UploadRejectedException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DiskGuardTest {

    private static final long MIB = 1L << 20;

    private final AtomicLong free = new AtomicLong(100 * MIB);
    private final AtomicInteger checks = new AtomicInteger();
    private final DiskGuard guard = new DiskGuard(() -> {
        checks.incrementAndGet();
        return free.get();
    }, 10 * MIB);

    @Test
    void beforeWrite_roomAboveTheReserve_passes() throws IOException {
        guard.beforeWrite(90 * MIB);
        assertEquals(1, checks.get());
    }

    @Test
    void beforeWrite_intoTheReserve_throws507() {
        UploadRejectedException e = assertThrows(UploadRejectedException.class, () -> guard.beforeWrite(90 * MIB + 1));
        assertEquals(507, e.status());
        assertEquals("not enough disk space: 100 MiB free, diskReserve is 10 MiB", e.reason());
    }

    @Test
    void beforeWrite_freeSpaceUnknownOrNegative_showsZeroFree() {
        free.set(-1);
        UploadRejectedException e = assertThrows(UploadRejectedException.class, () -> guard.beforeWrite(1));
        assertEquals("not enough disk space: 0 B free, diskReserve is 10 MiB", e.reason());
    }

    @Test
    void beforeWrite_checksTheDiskOnlyEveryEightMebibytes() throws IOException {
        guard.beforeWrite(64 * 1024);
        assertEquals(1, checks.get(), "the first write is checked");
        for (int i = 0; i < 127; i++) {
            guard.beforeWrite(64 * 1024);
        }
        assertEquals(1, checks.get(), "8 MiB - 64 KiB after the check");
        guard.beforeWrite(64 * 1024);
        assertEquals(2, checks.get(), "8 MiB after the check");
    }

    @Test
    void beforeWrite_diskFilledByOthers_isNoticedAtTheNextCheck() throws IOException {
        guard.beforeWrite(MIB);
        free.set(10 * MIB);
        guard.beforeWrite(MIB);
        assertThrows(UploadRejectedException.class, () -> guard.beforeWrite(7 * MIB));
    }

    @Test
    void unlimited_neverRefuses() {
        DiskGuard unlimited = DiskGuard.unlimited();
        assertDoesNotThrow(() -> {
            for (int i = 0; i < 100; i++) {
                unlimited.beforeWrite(Integer.MAX_VALUE);
            }
        });
    }

    @Test
    void describe_diskFull_saysSoWithoutAPath() {
        IOException full = new FileSystemException("/var/tmp/spillway/spw-1.part", null, "No space left on device");
        assertEquals("no space left on device", DiskGuard.describe(full));
    }

    @Test
    void describe_otherFailures_nameOnlyTheKindNeverThePath() {
        assertEquals("NoSuchFileException", DiskGuard.describe(new NoSuchFileException("/var/tmp/spillway/x")));
        assertEquals("IOException", DiskGuard.describe(new IOException((String) null)));
    }
}
