package io.spillway.servlet.hardening;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.management.UnixOperatingSystemMXBean;
import io.spillway.core.memory.MemoryBudget;
import io.spillway.core.storage.LocalResumableStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What must be back where it was after every case: the files in the temp directory, the process's
 * open file descriptors and the memory budget's reservations.
 *
 * <p>Tomcat closes sockets asynchronously and a client-side socket may linger a moment, so the
 * check polls for a while and allows a small slack on descriptors; files and reservations must
 * match exactly.
 */
final class Baseline {

    /** Descriptors that may still be closing (a server socket, a client socket, a poller wakeup). */
    static final int DESCRIPTOR_SLACK = 3;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Path tempDirectory;
    private final MemoryBudget budget;
    private final Set<String> files;
    private final long descriptors;
    private final long reserved;
    private final int holders;

    private Baseline(Path tempDirectory, MemoryBudget budget) {
        this.tempDirectory = tempDirectory;
        this.budget = budget;
        this.files = files(tempDirectory);
        this.descriptors = openDescriptors();
        this.reserved = budget.reserved();
        this.holders = budget.holders();
    }

    static Baseline capture(Path tempDirectory, MemoryBudget budget) {
        return new Baseline(tempDirectory, budget);
    }

    /** Waits until everything is back (or fails, saying what is not). */
    void assertRestored() {
        assertRestored(WAIT);
    }

    /** Waits at most {@code wait} until everything is back (or fails, saying what is not). */
    void assertRestored(Duration wait) {
        try {
            await("back to baseline").atMost(wait).pollInterval(Duration.ofMillis(20)).until(() -> problem() == null);
        } catch (ConditionTimeoutException timedOut) {
            String problem = problem();
            if (problem != null) {
                fail("not back to baseline: " + problem);
            }
        }
    }



    private String problem() {
        Set<String> now = files(tempDirectory);
        if (!now.equals(files)) {
            return "temp directory holds " + now.size() + " files " + now.stream().limit(5).toList() + ", was "
                    + files.size() + " " + files.stream().limit(5).toList();
        }
        if (budget.reserved() != reserved || budget.holders() != holders) {
            return "budget has " + budget.reserved() + " bytes in " + budget.holders() + " reservations, was "
                    + reserved + " in " + holders;
        }
        long open = openDescriptors();
        if (open > descriptors + DESCRIPTOR_SLACK) {
            return open + " open file descriptors, was " + descriptors + " (slack " + DESCRIPTOR_SLACK + "): "
                    + describeDescriptors();
        }
        return null;
    }

    /**
     * The process's open file descriptors, less the jar files class loaders keep open for good (a
     * client library used for the first time opens its jars; that is not a leak).
     */
    static long openDescriptors() {
        long all = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getOpenFileDescriptorCount();
        return all - openJars();
    }

    private static long openJars() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().endsWith(".jar");
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        } catch (IOException | UnsupportedOperationException noProc) {
            return 0;
        }
    }

    /**
     * Every regular file under a directory (relative names), empty when it does not exist. A walk
     * that meets a file being deleted is walked again.
     */
    static Set<String> files(Path root) {
        for (int attempt = 0; ; attempt++) {
            try (Stream<Path> walk = Files.walk(root)) {
                return walk.filter(Files::isRegularFile).map(root::relativize)
                        .filter(p -> !LocalResumableStore.isEndingRecord(p)).map(Path::toString)
                        .collect(Collectors.toCollection(TreeSet::new));
            } catch (NoSuchFileException gone) {
                return Set.of();
            } catch (IOException | java.io.UncheckedIOException e) {
                if (attempt >= 20) {
                    return Set.of("unreadable: " + e);
                }
            }
        }
    }

    private static String describeDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return "?";
                }
            }).filter(target -> !target.endsWith(".jar")).sorted().collect(Collectors.joining(", "));
        } catch (IOException e) {
            return "(no /proc/self/fd)";
        }
    }

}
