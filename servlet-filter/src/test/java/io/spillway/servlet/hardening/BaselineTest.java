package io.spillway.servlet.hardening;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.memory.MemoryBudget;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** The checker every case ends with must be able to fail: a left file, a held reservation, leaked descriptors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BaselineTest {

    private static final Duration SHORT = Duration.ofMillis(200);

    @TempDir
    Path directory;

    @TempDir
    Path elsewhere;

    private final MemoryBudget budget = new MemoryBudget();

    @Test
    void restored_whenNothingChanged() {
        Baseline.capture(directory, budget).assertRestored(SHORT);
    }

    @Test
    void fails_onAFileLeftInTheTempDirectory() throws IOException {
        Baseline baseline = Baseline.capture(directory, budget);
        Files.writeString(directory.resolve("spw-left.part"), "x");
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> baseline.assertRestored(SHORT));
        assertTrue(failure.getMessage().contains("spw-left.part"), failure.getMessage());
    }

    @Test
    void fails_onAReservationStillHeld() {
        Baseline baseline = Baseline.capture(directory, budget);
        MemoryBudget.Reservation held = budget.tryReserve(10, 100).orElseThrow();
        try {
            AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> baseline.assertRestored(SHORT));
            assertTrue(failure.getMessage().contains("budget has 10 bytes"), failure.getMessage());
        } finally {
            held.close();
        }
        baseline.assertRestored(SHORT);
    }

    @Test
    void fails_onLeakedDescriptors() throws IOException {
        Baseline baseline = Baseline.capture(directory, budget);
        Path file = Files.writeString(elsewhere.resolve("descriptors.txt"), "x");
        List<FileChannel> leaked = new ArrayList<>();
        try {
            for (int i = 0; i < Baseline.DESCRIPTOR_SLACK + 5; i++) {
                leaked.add(FileChannel.open(file));
            }
            AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> baseline.assertRestored(SHORT));
            assertTrue(failure.getMessage().contains("open file descriptors"), failure.getMessage());
        } finally {
            for (FileChannel channel : leaked) {
                channel.close();
            }
        }
        baseline.assertRestored(SHORT);
    }
}
