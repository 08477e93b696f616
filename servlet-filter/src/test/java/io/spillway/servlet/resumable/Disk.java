package io.spillway.servlet.resumable;

import io.spillway.core.storage.LocalResumableStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What is on disk under a directory: every regular file and its SHA-256, apart from the engine's
 * ending records (see {@link LocalResumableStore#isEndingRecord}), which {@link #endings} lists.
 */
final class Disk {

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
    static Map<String, String> awaitEmpty(Path root) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Map<String, String> left = snapshot(root);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            left = snapshot(root);
        }
        return left;
    }

    /**
     * Waits until a request's body has reached the staging area with at least {@code bytes}: the
     * server is receiving that request, so a later one for the same upload supersedes it.
     */
    static void awaitStagedBytes(Path root, long bytes) throws InterruptedException {
        Path staging = root.resolve("resumable").resolve(ResumableProtocols.STAGING);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(staging)) {
                if (files.anyMatch(f -> Files.isRegularFile(f) && f.toFile().length() >= bytes)) {
                    return;
                }
            } catch (IOException notCreatedYet) {
                // the staging directory comes with the first chunk
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no request staged " + bytes + " bytes within 30 s");
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            if (!Files.exists(file)) {
                return "deleted";
            }
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
