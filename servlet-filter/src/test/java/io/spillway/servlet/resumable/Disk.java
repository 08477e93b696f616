package io.spillway.servlet.resumable;

import static org.awaitility.Awaitility.await;

import io.spillway.core.storage.LocalResumableStore;
import io.spillway.servlet.testing.GeneratedStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What is on disk under a directory: every regular file and its SHA-256, apart from the engine's
 * ending records (see {@link LocalResumableStore#isEndingRecord}), which {@link #endings} lists.
 */
final class Disk {

    /** How long the waits give the server to finish what a request started (a slow CI machine). */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private Disk() {
    }


    /** Every file and its digest; a walk that meets a file deleted meanwhile is taken again. */
    static Map<String, String> snapshot(Path root) {
        for (int attempt = 1; ; attempt++) {
            try {
                return walk(root);
            } catch (UncheckedIOException deletedMeanwhile) {
                if (attempt == 5) {
                    throw deletedMeanwhile;
                }
            }
        }
    }

    private static Map<String, String> walk(Path root) {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).filter(p -> !LocalResumableStore.isEndingRecord(root.relativize(p)))
                    .forEach(p -> files.put(root.relativize(p).toString(), sha256(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The ids of the uploads whose ending the engine remembers under the temp root. */
    static java.util.Set<String> endings(Path root) throws IOException {
        Path ended = root.resolve(LocalResumableStore.DIRECTORY).resolve(LocalResumableStore.ENDED);
        if (!Files.isDirectory(ended)) {
            return java.util.Set.of();
        }
        try (Stream<Path> files = Files.list(ended)) {
            return files.map(p -> p.getFileName().toString().replace(".json", ""))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    /** Waits until no regular file is left under the directory; returns what is left at the end. */
    static Map<String, String> awaitEmpty(Path root) {
        try {
            return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> snapshot(root), Map::isEmpty);
        } catch (ConditionTimeoutException timedOut) {
            return snapshot(root);
        }
    }

    /**
     * Waits until a request's body has reached the staging area with at least {@code bytes}: the
     * server is receiving that request, so a later one for the same upload supersedes it.
     */
    static void awaitStagedBytes(Path root, long bytes) {
        Path staging = root.resolve("resumable").resolve(ResumableProtocols.STAGING);
        await("a request staged " + bytes + " bytes").atMost(PATIENCE).pollInterval(Duration.ofMillis(10))
                .until(() -> largestFile(staging) >= bytes);
    }

    /** The size of the largest regular file in the directory; 0 when there is none (or no directory yet). */
    static long largestFile(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).max().orElse(0);
        } catch (IOException notCreatedYet) {
            return 0;
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return GeneratedStream.sha256Of(in);
        } catch (IOException e) {
            if (!Files.exists(file)) {
                return "deleted";
            }
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes, int offset, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, offset, length);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
