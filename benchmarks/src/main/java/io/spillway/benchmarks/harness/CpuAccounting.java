package io.spillway.benchmarks.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Estimates how much CPU other processes used during the run, so that the report can say whether
 * the machine was quiet: busy time of the whole machine ({@code /proc/stat}) minus the CPU time of
 * the client JVM and of every server JVM.
 */
public final class CpuAccounting {

    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private final long startBusyTicks;
    private final long startClientNanos;
    private final long startWall = System.nanoTime();
    private final AtomicLong serverNanos = new AtomicLong();

    private CpuAccounting() {
        startBusyTicks = busyTicks();
        startClientNanos = clientCpuNanos();
    }

    /** Starts counting now. */
    public static CpuAccounting start() {
        return new CpuAccounting();
    }

    /** Adds the CPU time of a server JVM that is about to stop. */
    public void addServerCpu(Duration cpu) {
        serverNanos.addAndGet(cpu.toNanos());
    }

    /** The counts so far. */
    public Usage usage() {
        double wall = (System.nanoTime() - startWall) / 1e9;
        double ours = (clientCpuNanos() - startClientNanos + serverNanos.get()) / 1e9;
        long busy = busyTicks();
        double machine = busy < 0 || startBusyTicks < 0 ? Double.NaN : (busy - startBusyTicks) / CLOCK_TICKS_PER_SECOND;
        return new Usage(wall, ours, machine, Runtime.getRuntime().availableProcessors());
    }

    /**
     * CPU seconds used during the run.
     *
     * @param wallSeconds     the run's duration
     * @param harnessSeconds  CPU of the client and the servers
     * @param machineSeconds  busy CPU of the whole machine, NaN where {@code /proc/stat} is missing
     * @param cores           the machine's cores
     */
    public record Usage(double wallSeconds, double harnessSeconds, double machineSeconds, int cores) {

        /** CPU seconds used by other processes (never negative). */
        public double otherSeconds() {
            return Math.max(0, machineSeconds - harnessSeconds);
        }

        /** The share of the machine's capacity that other processes used, 0 to 1. */
        public double otherShare() {
            return otherSeconds() / (wallSeconds * cores);
        }
    }

    private static long clientCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** user + nice + system + irq + softirq of the machine, in clock ticks, or -1. */
    private static long busyTicks() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] fields = cpu.trim().split("\\s+");
            return Long.parseLong(fields[1]) + Long.parseLong(fields[2]) + Long.parseLong(fields[3])
                    + Long.parseLong(fields[6]) + Long.parseLong(fields[7]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
