package io.spillway.benchmarks.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The machine a run was measured on, for the report.
 *
 * @param date         when the run started (ISO-8601, local zone)
 * @param cpu          the processor model
 * @param cores        processors available to the JVM
 * @param memoryBytes  physical memory (container-aware)
 * @param os           name, version and architecture
 * @param jdk          the JDK running the client and the servers
 * @param tempStore    the file system where the servers write
 * @param loadAverage  the one-minute load average at the start
 */
public record MachineInfo(String date, String cpu, int cores, long memoryBytes, String os, String jdk, String tempStore, double loadAverage) {

    /** Describes this machine now; {@code tempDirectory} is where the servers will write. */
    public static MachineInfo capture(Path tempDirectory) {
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        return new MachineInfo(
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                memory,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                store(tempDirectory),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            return lines.stream()
                    .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String store(Path directory) {
        try {
            FileStore store = Files.getFileStore(directory);
            return store.type() + " (" + store.name() + "), " + store.getUsableSpace() / (1024 * 1024 * 1024) + " GiB free";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
