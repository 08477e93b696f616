package io.spillway.benchmarks.harness.scenario;

import io.spillway.benchmarks.harness.ServerKind;
import io.spillway.benchmarks.harness.client.HeapStats;
import io.spillway.benchmarks.harness.client.UploadOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 4: one upload much larger than the heap ({@code -Xmx64m}). Each run starts a fresh
 * server JVM; the heap is measured from the baseline left by a full collection before the upload.
 */
public final class HugeUploadScenario {

    /**
     * One run against a fresh server.
     *
     * @param server             the server
     * @param run                1-based run
     * @param verified           the upload succeeded with the right digest
     * @param outcome            {@code ok} or the failure label
     * @param megabytesPerSecond file bytes / 10^6 / seconds, NaN when it failed
     * @param stats              heap figures (the last ones read for a server that died), or null
     * @param died               the server JVM exited by itself
     * @param deathReason        why it exited
     * @param filesLeft          files the server left in its upload directory
     * @param startError         why the server did not start, or empty
     * @param route              Spillway's route, empty for other servers
     */
    public record Run(ServerKind server, int run, boolean verified, String outcome, double megabytesPerSecond, HeapStats stats, boolean died,
                      String deathReason, long filesLeft, String startError, String route) {
    }

    /**
     * The scenario's runs.
     *
     * @param uploadSize bytes of the file
     * @param heap       the servers' -Xmx
     * @param runs       every run
     */
    public record Result(long uploadSize, String heap, List<Run> runs) {
    }

    private final RunContext context;

    /** Creates the scenario. */
    public HugeUploadScenario(RunContext context) {
        this.context = context;
    }

    /** Runs the scenario, starting one fresh server per server kind and run. */
    public Result run(List<ServerKind> servers) {
        var profile = context.profile();
        long size = profile.hugeUploadSize();
        context.say("scenario 4: one %d MiB upload at -Xmx%s, %d run(s)", size >> 20, profile.hugeHeap(), profile.hugeRuns());
        List<Run> runs = new ArrayList<>();
        for (int run = 1; run <= profile.hugeRuns(); run++) {
            for (ServerKind kind : servers) {
                ObservedServer.Observation<UploadOutcome> seen = ObservedServer.observe(context, kind, profile.hugeHeap(), Map.of(), "s4-run" + run,
                        server -> context.client().upload(server.uploadUri(), context.payload(kind, size)));
                UploadOutcome outcome = seen.value();
                boolean verified = outcome != null && outcome.verified();
                Run result = new Run(kind, run, verified, outcome == null ? "not started" : outcome.failureLabel(),
                        verified ? size / 1e6 / (outcome.nanos() / 1e9) : Double.NaN,
                        seen.stats(), seen.died(), seen.deathReason(), seen.filesLeft(), seen.startError(), outcome == null ? "" : outcome.route());
                runs.add(result);
                context.say("  run %d: %s %s%s, peak heap growth %s, retained %s%s", run, kind, result.outcome(),
                        verified ? (result.route().isEmpty() ? "" : " " + result.route()) : " " + (outcome == null ? seen.startError() : outcome.detail()),
                        result.stats() == null ? "unknown" : String.format(java.util.Locale.ROOT, "%.1f MiB", result.stats().peakGrowth() / 1048576.0),
                        result.stats() == null ? "unknown" : String.format(java.util.Locale.ROOT, "%.1f MiB", result.stats().retainedGrowth() / 1048576.0),
                        result.died() ? ", DIED: " + result.deathReason() : "");
            }
        }
        return new Result(size, profile.hugeHeap(), runs);
    }
}
