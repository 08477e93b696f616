package io.spillway.benchmarks.harness.scenario;

import io.spillway.benchmarks.harness.Samples;
import io.spillway.benchmarks.harness.ServerKind;
import io.spillway.benchmarks.harness.ServerProcess;
import io.spillway.benchmarks.harness.client.UploadOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 2: many small uploads, a fixed number in flight at once, for a fixed count:
 * uploads per second and latency percentiles. Each round measures every server once, in a
 * rotating order; ratios compare servers within one round.
 */
public final class SmallUploadsScenario {

    /**
     * One measurement: {@code count} uploads to one server.
     *
     * @param server            the server measured
     * @param round             1-based round
     * @param uploadsPerSecond  verified uploads / wall seconds
     * @param p50Millis         median latency of one upload
     * @param p99Millis         99th percentile latency
     * @param verified          uploads whose digest matched
     * @param failed            uploads that did not succeed
     * @param ratioToDisk       uploads/s over B's in the same round, NaN without B
     * @param ratioToRaw        uploads/s over R's in the same round, NaN without R
     * @param failures          failures grouped by label, e.g. {@code {503=2}}
     * @param routes            Spillway's routes of the verified uploads, e.g. {@code {BUFFERED=4000}}; empty for other servers
     * @param serverCpuMillisPerUpload CPU time the server JVM used during the measurement (all its threads) per upload
     */
    public record Run(ServerKind server, int round, double uploadsPerSecond, double p50Millis, double p99Millis,
                      int verified, int failed, double ratioToDisk, double ratioToRaw, TreeMap<String, Integer> failures,
                      TreeMap<String, Integer> routes, double serverCpuMillisPerUpload) {

        Run withRatios(double toDisk, double toRaw) {
            return new Run(server, round, uploadsPerSecond, p50Millis, p99Millis, verified, failed, toDisk, toRaw, failures, routes,
                    serverCpuMillisPerUpload);
        }
    }

    /**
     * The scenario's measurements.
     *
     * @param uploadSize  bytes of each file
     * @param concurrency uploads in flight at once
     * @param count       uploads per measurement
     * @param runs        every measurement
     */
    public record Result(long uploadSize, int concurrency, int count, List<Run> runs) {
    }

    private final RunContext context;

    /** Creates the scenario. */
    public SmallUploadsScenario(RunContext context) {
        this.context = context;
    }

    /** Runs the scenario against servers that are already started. */
    public Result run(List<ServerProcess> servers) throws InterruptedException {
        var profile = context.profile();
        context.say("scenario 2: %d uploads of %d KiB, %d at a time, %d round(s)",
                profile.smallCount(), profile.smallUploadSize() >> 10, profile.smallConcurrency(), profile.smallRounds());
        ExecutorService pool = Executors.newFixedThreadPool(profile.smallConcurrency());
        try {
            for (ServerProcess server : servers) {
                batch(pool, server, profile.smallWarmupCount(), 0);
            }
            List<Run> runs = new ArrayList<>();
            List<ServerProcess> order = new ArrayList<>(servers);
            for (int round = 1; round <= profile.smallRounds(); round++) {
                Collections.rotate(order, 1);
                List<Run> roundRuns = new ArrayList<>();
                for (ServerProcess server : order) {
                    Run run = batch(pool, server, profile.smallCount(), round);
                    roundRuns.add(run);
                    context.say("  round %d: %s %.0f uploads/s, p50 %.1f ms, p99 %.1f ms, server CPU %.2f ms/upload%s", round, server.kind(),
                            run.uploadsPerSecond(), run.p50Millis(), run.p99Millis(), run.serverCpuMillisPerUpload(),
                            run.failed() == 0 ? "" : ", failures " + run.failures());
                }
                double disk = throughputOf(roundRuns, ServerKind.B);
                double raw = throughputOf(roundRuns, ServerKind.R);
                for (Run run : roundRuns) {
                    runs.add(run.withRatios(run.uploadsPerSecond() / disk, run.uploadsPerSecond() / raw));
                }
            }
            return new Result(profile.smallUploadSize(), profile.smallConcurrency(), profile.smallCount(), runs);
        } finally {
            pool.shutdownNow();
        }
    }

    private static double throughputOf(List<Run> runs, ServerKind kind) {
        return runs.stream().filter(r -> r.server() == kind).mapToDouble(Run::uploadsPerSecond).findFirst().orElse(Double.NaN);
    }

    private Run batch(ExecutorService pool, ServerProcess server, int count, int round) throws InterruptedException {
        long[] latencies = new long[count];
        boolean[] ok = new boolean[count];
        String[] labels = new String[count];
        String[] routes = new String[count];
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        double cpuBefore = server.cpuSeconds();
        long start = System.nanoTime();
        for (int w = 0; w < context.profile().smallConcurrency(); w++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    UploadOutcome outcome = context.client().upload(server.uploadUri(),
                            context.payload(server.kind(), context.profile().smallUploadSize()));
                    latencies[i] = outcome.nanos();
                    ok[i] = outcome.verified();
                    labels[i] = outcome.failureLabel();
                    routes[i] = outcome.route();
                }
            }));
        }
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("upload worker failed", e.getCause());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMillisPerUpload = (server.cpuSeconds() - cpuBefore) * 1000 / count;
        int verified = 0;
        TreeMap<String, Integer> failures = new TreeMap<>();
        TreeMap<String, Integer> routeCounts = new TreeMap<>();
        List<Long> okLatencies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (ok[i]) {
                verified++;
                okLatencies.add(latencies[i]);
                if (!routes[i].isEmpty()) {
                    routeCounts.merge(routes[i], 1, Integer::sum);
                }
            } else {
                failures.merge(labels[i], 1, Integer::sum);
            }
        }
        long[] measured = okLatencies.stream().mapToLong(Long::longValue).toArray();
        return new Run(server.kind(), round, verified / seconds, Samples.percentile(measured, 50) / 1e6,
                Samples.percentile(measured, 99) / 1e6, verified, count - verified, Double.NaN, Double.NaN, failures, routeCounts, cpuMillisPerUpload);
    }
}
