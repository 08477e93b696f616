package io.spillway.core.memory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the memory limit and usage of the cgroup this process runs in, from cgroup v2
 * ({@code memory.max}, {@code memory.current}) or v1 ({@code memory/memory.limit_in_bytes},
 * {@code memory/memory.usage_in_bytes}). OSHI reports the host, not the container, so without
 * this a 512 MiB container on a 64 GiB host would look roomy.
 *
 * <p>The root is injectable so that tests read fixture files.
 */
public final class CgroupMemory {

    /** v1 reports "no limit" as a huge number near {@code Long.MAX_VALUE}, page-aligned. */
    private static final long V1_UNLIMITED_ABOVE = 1L << 60;

    private final Path root;

    public CgroupMemory(Path root) {
        this.root = root;
    }

    /** The cgroup filesystem of this machine. */
    public static CgroupMemory ofSystem() {
        return new CgroupMemory(Path.of("/sys/fs/cgroup"));
    }

    /** A limit with its current usage. */
    public record Reading(long limit, long usage) {
    }

    /** The limit and usage, or empty when no limit is set or no cgroup file is readable. */
    public Optional<Reading> read() {
        Optional<Reading> v2 = read(root.resolve("memory.max"), root.resolve("memory.current"));
        if (v2.isPresent() || Files.exists(root.resolve("memory.max"))) {
            return v2;
        }
        return read(root.resolve("memory/memory.limit_in_bytes"), root.resolve("memory/memory.usage_in_bytes"));
    }

    private static Optional<Reading> read(Path limitFile, Path usageFile) {
        Optional<Long> limit = readNumber(limitFile);
        if (limit.isEmpty() || limit.get() < 0 || limit.get() >= V1_UNLIMITED_ABOVE) {
            return Optional.empty();
        }
        return Optional.of(new Reading(limit.get(), readNumber(usageFile).orElse(0L)));
    }

    private static Optional<Long> readNumber(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (text.equals("max")) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException | SecurityException e) {
            return Optional.empty();
        }
    }
}
