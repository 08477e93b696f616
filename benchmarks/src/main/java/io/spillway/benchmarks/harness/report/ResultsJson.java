package io.spillway.benchmarks.harness.report;

import io.spillway.benchmarks.harness.HarnessResults;
import io.spillway.benchmarks.harness.ServerKind;
import io.spillway.benchmarks.harness.client.HeapStats;
import io.spillway.benchmarks.harness.scenario.HugeUploadScenario;
import io.spillway.benchmarks.harness.scenario.LargeUploadScenario;
import io.spillway.benchmarks.harness.scenario.MemoryStormScenario;
import io.spillway.benchmarks.harness.scenario.SmallUploadsScenario;
import io.spillway.core.internal.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results as JSON ({@code results-<profile>.json}): every measurement plus the per-server
 * summaries, for scripts and for the smoke test. Failed measurements are {@code null}.
 */
public final class ResultsJson {

    private ResultsJson() {
    }

    /** Renders the results. */
    public static String write(HarnessResults results) {
        Summary summary = new Summary(results);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("profile", results.options().profile().name());
        root.put("machine", machine(results));
        root.put("servers", results.servers().stream().map(Enum::name).toList());
        root.put("notes", results.notes());
        if (results.large() != null) {
            root.put("scenario1", large(results.large(), results.servers(), summary));
        }
        if (results.small() != null) {
            root.put("scenario2", small(results.small(), results.servers(), summary));
        }
        if (results.storm() != null) {
            root.put("scenario3", storm(results.storm(), results.servers(), summary));
        }
        if (results.huge() != null) {
            root.put("scenario4", huge(results.huge(), results.servers(), summary));
        }
        return Json.write(root);
    }

    private static Map<String, Object> machine(HarnessResults results) {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("date", results.machine().date());
        machine.put("cpu", results.machine().cpu());
        machine.put("cores", (long) results.machine().cores());
        machine.put("memoryBytes", results.machine().memoryBytes());
        machine.put("os", results.machine().os());
        machine.put("jdk", results.machine().jdk());
        machine.put("tempStore", results.machine().tempStore());
        machine.put("loadAverageAtStart", results.machine().loadAverage());
        machine.put("wallSeconds", results.cpu().wallSeconds());
        machine.put("harnessCpuSeconds", results.cpu().harnessSeconds());
        machine.put("machineBusyCpuSeconds", results.cpu().machineSeconds());
        machine.put("otherProcessesCpuShare", results.cpu().otherShare());
        return machine;
    }

    private static Map<String, Object> large(LargeUploadScenario.Result large, List<ServerKind> servers, Summary summary) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uploadSize", large.uploadSize());
        List<Object> runs = new ArrayList<>();
        for (LargeUploadScenario.Run run : large.runs()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("server", run.server().name());
            r.put("round", (long) run.round());
            r.put("megabytesPerSecond", run.megabytesPerSecond());
            r.put("ratioToRaw", run.ratioToRaw());
            r.put("verified", run.verified());
            r.put("detail", run.detail());
            r.put("route", run.route());
            r.put("serverCpuSeconds", run.serverCpuSeconds());
            runs.add(r);
        }
        json.put("runs", runs);
        Map<String, Object> perServer = new LinkedHashMap<>();
        for (ServerKind kind : servers) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("megabytesPerSecond", stat(summary.largeThroughput(kind)));
            s.put("serverCpuSecondsPerGiB", stat(summary.largeCpuPerGiB(kind)));
            s.put("ratioToRaw", stat(summary.largeRatioToRaw(kind)));
            s.put("failures", summary.largeFailures(kind));
            perServer.put(kind.name(), s);
        }
        json.put("summary", perServer);
        return json;
    }

    private static Map<String, Object> small(SmallUploadsScenario.Result small, List<ServerKind> servers, Summary summary) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uploadSize", small.uploadSize());
        json.put("concurrency", (long) small.concurrency());
        json.put("count", (long) small.count());
        List<Object> runs = new ArrayList<>();
        for (SmallUploadsScenario.Run run : small.runs()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("server", run.server().name());
            r.put("round", (long) run.round());
            r.put("uploadsPerSecond", run.uploadsPerSecond());
            r.put("p50Millis", run.p50Millis());
            r.put("p99Millis", run.p99Millis());
            r.put("verified", (long) run.verified());
            r.put("failed", (long) run.failed());
            r.put("ratioToDisk", run.ratioToDisk());
            r.put("ratioToRaw", run.ratioToRaw());
            r.put("failures", new LinkedHashMap<String, Object>(run.failures()));
            r.put("routes", new LinkedHashMap<String, Object>(run.routes()));
            r.put("serverCpuMillisPerUpload", run.serverCpuMillisPerUpload());
            runs.add(r);
        }
        json.put("runs", runs);
        Map<String, Object> perServer = new LinkedHashMap<>();
        for (ServerKind kind : servers) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("uploadsPerSecond", stat(summary.smallThroughput(kind)));
            s.put("serverCpuMillisPerUpload", stat(summary.small(kind, SmallUploadsScenario.Run::serverCpuMillisPerUpload)));
            s.put("p50Millis", stat(summary.small(kind, SmallUploadsScenario.Run::p50Millis)));
            s.put("p99Millis", stat(summary.small(kind, SmallUploadsScenario.Run::p99Millis)));
            s.put("ratioToDisk", stat(summary.small(kind, SmallUploadsScenario.Run::ratioToDisk)));
            s.put("ratioToRaw", stat(summary.small(kind, SmallUploadsScenario.Run::ratioToRaw)));
            s.put("failures", summary.smallFailures(kind));
            perServer.put(kind.name(), s);
        }
        json.put("summary", perServer);
        return json;
    }

    private static Map<String, Object> storm(MemoryStormScenario.Result storm, List<ServerKind> servers, Summary summary) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uploads", (long) storm.uploads());
        json.put("uploadSize", storm.uploadSize());
        json.put("heap", storm.heap());
        json.put("spillwayInMemoryThreshold", storm.spillwayThreshold());
        List<Object> runs = new ArrayList<>();
        for (MemoryStormScenario.Run run : storm.runs()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("server", run.server().name());
            r.put("run", (long) run.run());
            r.put("succeeded", (long) run.succeeded());
            r.put("failures", new LinkedHashMap<String, Object>(run.failures()));
            r.put("heap", heap(run.stats()));
            r.put("died", run.died());
            r.put("deathReason", run.deathReason());
            r.put("seconds", run.seconds());
            r.put("filesLeft", run.filesLeft());
            r.put("startError", run.startError());
            r.put("routes", new LinkedHashMap<String, Object>(run.routes()));
            runs.add(r);
        }
        json.put("runs", runs);
        Map<String, Object> perServer = new LinkedHashMap<>();
        for (ServerKind kind : servers) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("succeeded", stat(summary.stormSucceeded(kind)));
            s.put("peakHeapMiB", stat(summary.stormPeakHeap(kind)));
            s.put("runsDied", summary.stormRuns(kind).stream().filter(MemoryStormScenario.Run::died).count());
            perServer.put(kind.name(), s);
        }
        json.put("summary", perServer);
        return json;
    }

    private static Map<String, Object> huge(HugeUploadScenario.Result huge, List<ServerKind> servers, Summary summary) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uploadSize", huge.uploadSize());
        json.put("heap", huge.heap());
        List<Object> runs = new ArrayList<>();
        for (HugeUploadScenario.Run run : huge.runs()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("server", run.server().name());
            r.put("run", (long) run.run());
            r.put("verified", run.verified());
            r.put("outcome", run.outcome());
            r.put("megabytesPerSecond", run.megabytesPerSecond());
            r.put("heap", heap(run.stats()));
            r.put("died", run.died());
            r.put("deathReason", run.deathReason());
            r.put("filesLeft", run.filesLeft());
            r.put("startError", run.startError());
            r.put("route", run.route());
            runs.add(r);
        }
        json.put("runs", runs);
        Map<String, Object> perServer = new LinkedHashMap<>();
        for (ServerKind kind : servers) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("peakHeapGrowthMiB", stat(summary.hugePeakGrowth(kind)));
            s.put("retainedHeapGrowthMiB", stat(summary.hugeRetainedGrowth(kind)));
            s.put("megabytesPerSecond", stat(summary.hugeThroughput(kind)));
            s.put("runsDied", summary.hugeRuns(kind).stream().filter(HugeUploadScenario.Run::died).count());
            perServer.put(kind.name(), s);
        }
        json.put("summary", perServer);
        return json;
    }

    private static Map<String, Object> heap(HeapStats stats) {
        if (stats == null) {
            return null;
        }
        Map<String, Object> heap = new LinkedHashMap<>();
        heap.put("max", stats.heapMax());
        heap.put("baseline", stats.baseline());
        heap.put("peakUsed", stats.peakUsed());
        heap.put("peakAfterGc", stats.peakAfterGc());
        heap.put("collections", stats.collections());
        heap.put("collectors", stats.collectors());
        return heap;
    }

    private static Map<String, Object> stat(Stat stat) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("median", stat.median());
        json.put("min", stat.min());
        json.put("max", stat.max());
        json.put("count", (long) stat.count());
        return json;
    }
}
