package io.spillway.benchmarks.harness.scenario;

import io.spillway.benchmarks.harness.ServerKind;
import io.spillway.benchmarks.harness.ServerProcess;
import io.spillway.benchmarks.harness.client.UploadOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Scenario 1: one large upload at a time, MB/s. The reference R is measured between every two
 * other measurements (R, A, R, B, R, ...), and each server's ratio to R is taken against the mean
 * of the R measurements just before and after it, so that drift and other load on the machine
 * affect both sides of a ratio alike.
 */
public final class LargeUploadScenario {

    /**
     * One measurement.
     *
     * @param server             the server measured
     * @param round              1-based round
     * @param megabytesPerSecond file bytes / 10^6 / seconds, NaN when the upload failed
     * @param ratioToRaw         throughput over the mean of the neighbouring R measurements, NaN for R itself or without R
     * @param verified           the server's digest matched
     * @param detail             why it failed, or empty
     * @param route              Spillway's route, empty for other servers
     * @param serverCpuSeconds   CPU time the server JVM used during the upload (all its threads)
     */
    public record Run(ServerKind server, int round, double megabytesPerSecond, double ratioToRaw, boolean verified, String detail, String route,
                      double serverCpuSeconds) {
    }

    /**
     * The scenario's measurements.
     *
     * @param uploadSize bytes of the file uploaded each time
     * @param runs       every measurement in the order taken
     */
    public record Result(long uploadSize, List<Run> runs) {
    }

    private final RunContext context;

    /** Creates the scenario. */
    public LargeUploadScenario(RunContext context) {
        this.context = context;
    }

    /** Runs the scenario against servers that are already started. */
    public Result run(List<ServerProcess> servers) {
        long size = context.profile().largeUploadSize();
        context.say("scenario 1: one %d MiB upload at a time, %d round(s)", size >> 20, context.profile().largeRounds());
        for (ServerProcess server : servers) {
            upload(server, context.profile().largeWarmupSize());
        }
        ServerProcess raw = servers.stream().filter(s -> s.kind() == ServerKind.R).findFirst().orElse(null);
        List<ServerProcess> others = new ArrayList<>(servers);
        others.remove(raw);
        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= context.profile().largeRounds(); round++) {
            Collections.rotate(others, 1);
            double before = raw == null ? Double.NaN : measure(raw, round, runs);
            for (ServerProcess server : others) {
                int index = runs.size();
                double mbps = measure(server, round, runs);
                if (raw != null) {
                    double after = measure(raw, round, runs);
                    Run measured = runs.get(index);
                    double ratio = mbps / ((before + after) / 2);
                    runs.set(index, new Run(measured.server(), round, mbps, ratio, measured.verified(), measured.detail(), measured.route(),
                            measured.serverCpuSeconds()));
                    context.say("  round %d: %s %.0f MB/s, %.2f of R, server CPU %.1f s", round, server.kind(), mbps, ratio,
                            runs.get(index).serverCpuSeconds());
                    before = after;
                } else {
                    context.say("  round %d: %s %.0f MB/s, server CPU %.1f s", round, server.kind(), mbps, runs.get(index).serverCpuSeconds());
                }
            }
        }
        return new Result(size, runs);
    }

    /** Uploads once, records the run and returns its MB/s (NaN when it failed). */
    private double measure(ServerProcess server, int round, List<Run> runs) {
        double cpuBefore = server.cpuSeconds();
        UploadOutcome outcome = upload(server, context.profile().largeUploadSize());
        double cpu = server.cpuSeconds() - cpuBefore;
        double mbps = outcome.verified() ? context.profile().largeUploadSize() / 1e6 / (outcome.nanos() / 1e9) : Double.NaN;
        runs.add(new Run(server.kind(), round, mbps, Double.NaN, outcome.verified(), outcome.detail(), outcome.route(), cpu));
        if (!outcome.verified()) {
            context.say("  round %d: %s failed: %s %s", round, server.kind(), outcome.failureLabel(), outcome.detail());
        } else if (server.kind() == ServerKind.R) {
            context.say("  round %d: R %.0f MB/s, server CPU %.1f s", round, mbps, cpu);
        }
        return mbps;
    }

    private UploadOutcome upload(ServerProcess server, long size) {
        return context.client().upload(server.uploadUri(), context.payload(server.kind(), size));
    }
}
