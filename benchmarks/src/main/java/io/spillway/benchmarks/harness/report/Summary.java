package io.spillway.benchmarks.harness.report;

import io.spillway.benchmarks.harness.HarnessResults;
import io.spillway.benchmarks.harness.ServerKind;
import io.spillway.benchmarks.harness.client.HeapStats;
import io.spillway.benchmarks.harness.scenario.HugeUploadScenario;
import io.spillway.benchmarks.harness.scenario.LargeUploadScenario;
import io.spillway.benchmarks.harness.scenario.MemoryStormScenario;
import io.spillway.benchmarks.harness.scenario.SmallUploadsScenario;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** Per-server summaries of each scenario, shared by the Markdown report, the chart and the JSON. */
public final class Summary {

    /** Bytes in a MiB. */
    public static final double MIB = 1024.0 * 1024.0;

    private final HarnessResults results;

    /** Summarizes one run's results. */
    public Summary(HarnessResults results) {
        this.results = results;
    }

    /** Scenario 1: MB/s. */
    public Stat largeThroughput(ServerKind kind) {
        return large(kind, LargeUploadScenario.Run::megabytesPerSecond);
    }

    /** Scenario 1: ratio to the neighbouring R measurements. */
    public Stat largeRatioToRaw(ServerKind kind) {
        return large(kind, LargeUploadScenario.Run::ratioToRaw);
    }

    /** Scenario 1: CPU-seconds the server used per GiB uploaded. */
    public Stat largeCpuPerGiB(ServerKind kind) {
        double gib = results.large().uploadSize() / (MIB * 1024);
        return large(kind, r -> r.verified() ? r.serverCpuSeconds() / gib : Double.NaN);
    }

    /** Scenario 1: measurements that failed. */
    public long largeFailures(ServerKind kind) {
        return results.large().runs().stream().filter(r -> r.server() == kind && !r.verified()).count();
    }

    /** Scenario 2: uploads per second. */
    public Stat smallThroughput(ServerKind kind) {
        return small(kind, SmallUploadsScenario.Run::uploadsPerSecond);
    }

    /** Scenario 2: any per-run value. */
    public Stat small(ServerKind kind, ToDoubleFunction<SmallUploadsScenario.Run> value) {
        return of(results.small().runs(), SmallUploadsScenario.Run::server, kind, value);
    }

    /** Scenario 2: failed uploads over all rounds. */
    public long smallFailures(ServerKind kind) {
        return results.small().runs().stream().filter(r -> r.server() == kind).mapToLong(SmallUploadsScenario.Run::failed).sum();
    }

    /** Scenario 3: the runs of one server. */
    public List<MemoryStormScenario.Run> stormRuns(ServerKind kind) {
        return results.storm().runs().stream().filter(r -> r.server() == kind).collect(Collectors.toList());
    }

    /** Scenario 3: uploads that succeeded per run. */
    public Stat stormSucceeded(ServerKind kind) {
        return of(results.storm().runs(), MemoryStormScenario.Run::server, kind, r -> r.startError().isEmpty() ? r.succeeded() : Double.NaN);
    }

    /** Scenario 3: peak heap in MiB. */
    public Stat stormPeakHeap(ServerKind kind) {
        return of(results.storm().runs(), MemoryStormScenario.Run::server, kind, r -> mib(r.stats(), HeapStats::peakUsed));
    }

    /** Scenario 4: the runs of one server. */
    public List<HugeUploadScenario.Run> hugeRuns(ServerKind kind) {
        return results.huge().runs().stream().filter(r -> r.server() == kind).collect(Collectors.toList());
    }

    /** Scenario 4: peak heap growth over the baseline in MiB, garbage included. */
    public Stat hugePeakGrowth(ServerKind kind) {
        return of(results.huge().runs(), HugeUploadScenario.Run::server, kind, r -> mib(r.stats(), HeapStats::peakGrowth));
    }

    /** Scenario 4: growth of the heap left after collections in MiB. */
    public Stat hugeRetainedGrowth(ServerKind kind) {
        return of(results.huge().runs(), HugeUploadScenario.Run::server, kind, r -> mib(r.stats(), HeapStats::retainedGrowth));
    }

    /** Scenario 4: MB/s. */
    public Stat hugeThroughput(ServerKind kind) {
        return of(results.huge().runs(), HugeUploadScenario.Run::server, kind, HugeUploadScenario.Run::megabytesPerSecond);
    }

    private Stat large(ServerKind kind, ToDoubleFunction<LargeUploadScenario.Run> value) {
        return of(results.large().runs(), LargeUploadScenario.Run::server, kind, value);
    }

    private static double mib(HeapStats stats, ToDoubleFunction<HeapStats> bytes) {
        return stats == null ? Double.NaN : bytes.applyAsDouble(stats) / MIB;
    }

    private static <R> Stat of(List<R> runs, Function<R, ServerKind> server, ServerKind kind, ToDoubleFunction<R> value) {
        return Stat.of(runs.stream().filter(r -> server.apply(r) == kind).map(r -> value.applyAsDouble(r)).collect(Collectors.toList()));
    }
}
