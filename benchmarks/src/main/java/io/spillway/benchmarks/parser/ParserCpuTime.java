package io.spillway.benchmarks.parser;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link ParserBenchmark} workloads timed by the CPU time of the parsing thread instead of
 * the wall clock: MiB per CPU-second is the speed of one core even on a machine shared with other
 * work, where JMH's wall-clock scores swing with the load.
 *
 * <p>Run: {@code java -cp ... io.spillway.benchmarks.parser.ParserCpuTime [rounds]}
 */
public final class ParserCpuTime {

    private ParserCpuTime() {
    }

    /** Functional form of one benchmark method. */
    private interface Workload {
        long run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ParserBenchmark benchmark = new ParserBenchmark();
        Map<String, Workload> workloads = new LinkedHashMap<>();
        workloads.put("fastRead", benchmark::fastRead);
        workloads.put("fastTransferTo", benchmark::fastTransferTo);
        workloads.put("fileUpload2DefaultBuffer", benchmark::fileUpload2DefaultBuffer);
        workloads.put("fileUpload2Buffer64k", benchmark::fileUpload2Buffer64k);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Map.Entry<String, Workload> w : workloads.entrySet()) {
            for (int i = 0; i < 3; i++) {
                w.getValue().run();
            }
            long bytes = 0;
            long cpuStart = threads.getCurrentThreadCpuTime();
            long wallStart = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                bytes += w.getValue().run();
            }
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
            double mib = bytes / (double) (1 << 20);
            System.out.printf("%-26s %8.0f MiB per CPU-second  (%8.0f MiB/s wall, %d x 256 MiB)%n",
                    w.getKey(), mib / cpuSeconds, mib / wallSeconds, rounds);
        }
    }
}
