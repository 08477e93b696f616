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
 * <p>The process's own cgroup comes from {@code /proc/self/cgroup}; its directory and every parent
 * up to the root are read, and the tightest limit wins (a parent's limit binds its children). Usage
 * excludes inactive file cache ({@code inactive_file} in {@code memory.stat}), which the kernel
 * reclaims before it kills anything, as Docker's own statistics do; otherwise streaming uploads to
 * disk would seem to eat the container's memory.
 *
 * <p>Both paths are injectable so that tests read fixture files.
 */
public final class CgroupMemory {

    /** v1 reports "no limit" as a huge number near {@code Long.MAX_VALUE}, page-aligned. */
    private static final long V1_UNLIMITED_ABOVE = 1L << 60;

    private final Path root;
    private final Path selfCgroup;

    /** Reads only the hierarchy's root directory (fixtures, or a container's namespaced view). */
    public CgroupMemory(Path root) {
        this(root, null);
    }

    /**
     * @param root       the cgroup filesystem, normally {@code /sys/fs/cgroup}
     * @param selfCgroup the process's membership file, normally {@code /proc/self/cgroup}, or null
     */
    public CgroupMemory(Path root, Path selfCgroup) {
        this.root = root;
        this.selfCgroup = selfCgroup;
    }

    /** The cgroup filesystem of this machine and this process. */
    public static CgroupMemory ofSystem() {
        return new CgroupMemory(Path.of("/sys/fs/cgroup"), Path.of("/proc/self/cgroup"));
    }

    /** A limit with its current usage. */
    public record Reading(long limit, long usage) {

        long headroom() {
            return limit - usage;
        }
    }

    /** The tightest limit and its usage, or empty when no limit is set or no cgroup file is readable. */
    public Optional<Reading> read() {
        if (Files.exists(root.resolve("memory.max")) || Files.exists(root.resolve("cgroup.controllers"))) {
            return tightest(root, ownPath("").orElse(""), "memory.max", "memory.current", "inactive_file");
        }
        return tightest(root.resolve("memory"), ownPath("memory").orElse(""),
                "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file");
    }

    private Optional<Reading> tightest(Path base, String own, String limitName, String usageName, String inactiveKey) {
        Optional<Reading> best = Optional.empty();
        Path dir = resolveInside(base, own);
        while (dir != null && dir.startsWith(base)) {
            Optional<Reading> reading = read(dir.resolve(limitName), dir.resolve(usageName), dir.resolve("memory.stat"),
                    inactiveKey);
            if (reading.isPresent() && (best.isEmpty() || reading.get().headroom() < best.get().headroom())) {
                best = reading;
            }
            dir = dir.equals(base) ? null : dir.getParent();
        }
        return best;
    }

    private static Path resolveInside(Path base, String own) {
        Path dir = base.resolve(own.startsWith("/") ? own.substring(1) : own).normalize();
        return dir.startsWith(base) ? dir : base;
    }

    /**
     * This process's cgroup path for a controller from {@code /proc/self/cgroup}: the v2 line
     * {@code 0::/path} when {@code controller} is empty, else the v1 line naming the controller.
     */
    private Optional<String> ownPath(String controller) {
        if (selfCgroup == null) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(selfCgroup, StandardCharsets.UTF_8)) {
                String[] fields = line.split(":", 3);
                if (fields.length < 3) {
                    continue;
                }
                boolean v2 = fields[0].equals("0") && fields[1].isEmpty();
                if (controller.isEmpty() ? v2 : java.util.Arrays.asList(fields[1].split(",")).contains(controller)) {
                    return Optional.of(fields[2]);
                }
            }
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<Reading> read(Path limitFile, Path usageFile, Path statFile, String inactiveKey) {
        Optional<Long> limit = readNumber(limitFile);
        if (limit.isEmpty() || limit.get() < 0 || limit.get() >= V1_UNLIMITED_ABOVE) {
            return Optional.empty();
        }
        long usage = readNumber(usageFile).orElse(0L);
        long inactive = readStat(statFile, inactiveKey);
        return Optional.of(new Reading(limit.get(), Math.max(0, usage - inactive)));
    }

    private static long readStat(Path statFile, String key) {
        try {
            for (String line : Files.readAllLines(statFile, StandardCharsets.US_ASCII)) {
                if (line.startsWith(key + " ")) {
                    return Math.max(0, Long.parseLong(line.substring(key.length() + 1).trim()));
                }
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            return 0;
        }
        return 0;
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
