package io.spillway.benchmarks.harness.report;

import io.spillway.benchmarks.harness.CpuAccounting;
import io.spillway.benchmarks.harness.HarnessResults;
import io.spillway.benchmarks.harness.MachineInfo;
import io.spillway.benchmarks.harness.Profile;
import io.spillway.benchmarks.harness.ServerKind;
import io.spillway.benchmarks.harness.scenario.HugeUploadScenario;
import io.spillway.benchmarks.harness.scenario.MemoryStormScenario;
import io.spillway.benchmarks.harness.scenario.SmallUploadsScenario;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The human-readable report: machine, servers, the targets for Spillway, one table per
 * scenario (median and min-max over repeated measurements, ratios taken within one run) and the
 * chart.
 */
public final class MarkdownReport {

    private static final String BUILD = "mvn -B -q -pl benchmarks -am package -DskipTests";
    private static final String RUN = "java -jar benchmarks/target/spillway-benchmarks.jar";

    private final HarnessResults results;
    private final Summary summary;
    private final StringBuilder out = new StringBuilder();

    private MarkdownReport(HarnessResults results) {
        this.results = results;
        this.summary = new Summary(results);
    }

    /** Renders the report; {@code chartFile} is the chart's name next to the report. */
    public static String render(HarnessResults results, String chartFile) {
        MarkdownReport report = new MarkdownReport(results);
        report.header();
        report.machine();
        report.servers();
        report.targets();
        report.large();
        report.small();
        report.storm();
        report.huge();
        report.line("## Chart");
        report.line("");
        report.line("![side-by-side results](" + chartFile + ")");
        report.line("");
        report.method();
        report.notes();
        return report.out.toString();
    }

    private void header() {
        Profile profile = results.options().profile();
        line("# Spillway upload benchmarks: " + profile.name() + " run");
        line("");
        String flag = profile == Profile.FULL ? "" : " --" + profile.name();
        line("Reproduce from the project root (one command; each server runs in its own JVM on 127.0.0.1, the client in this one):");
        line("");
        line("```");
        line(BUILD + " && " + RUN + flag);
        line("```");
        line("");
    }

    private void machine() {
        MachineInfo m = results.machine();
        CpuAccounting.Usage cpu = results.cpu();
        line("## Machine");
        line("");
        line("| | |");
        line("|---|---|");
        line("| date | " + m.date() + " |");
        line("| CPU | " + m.cpu() + ", " + m.cores() + " cores available to the JVM |");
        line("| memory | " + (m.memoryBytes() < 0 ? "unknown" : fmt("%.1f GiB", m.memoryBytes() / Summary.MIB / 1024)) + " |");
        line("| OS | " + m.os() + " |");
        line("| JDK | " + m.jdk() + " (client and servers) |");
        line("| servers write to | " + m.tempStore() + " |");
        line("| run time | " + fmt("%.1f min", cpu.wallSeconds() / 60) + " |");
        line("| other load | " + otherLoad(m, cpu) + " |");
        line("");
    }

    private static String otherLoad(MachineInfo m, CpuAccounting.Usage cpu) {
        if (Double.isNaN(cpu.machineSeconds())) {
            return fmt("load average %.2f at the start; CPU use of other processes unknown (no /proc/stat)", m.loadAverage());
        }
        String verdict = cpu.otherShare() >= 0.05
                ? "**other work ran concurrently**: absolute figures are lower than on a quiet machine; the ratios, measured within the run, are the figures to compare"
                : "the machine was quiet";
        return fmt("load average %.2f at the start; other processes used %.0f CPU-seconds of the %.0f available (%.0f%%) while the harness used %.0f: %s",
                m.loadAverage(), cpu.otherSeconds(), cpu.wallSeconds() * cpu.cores(), 100 * cpu.otherShare(), cpu.harnessSeconds(), verdict);
    }

    private void servers() {
        line("## Servers");
        line("");
        line("Every server is embedded Tomcat 11 in its own JVM. Every servlet reads each uploaded file fully and computes its "
                + "SHA-256; the client generates each payload from a seeded PRNG, digests it while sending, and counts an upload only "
                + "when the server's byte count and digest match.");
        line("");
        line("| | server | what it does |");
        line("|---|---|---|");
        for (ServerKind kind : results.servers()) {
            line("| " + kind + " | " + kind.label() + " | " + kind.description() + spillwayParams(kind) + " |");
        }
        line("");
    }

    private String spillwayParams(ServerKind kind) {
        Map<String, String> params = results.options().spillwayParams();
        return kind != ServerKind.A || params.isEmpty() ? "" : ", with " + new TreeMap<>(params);
    }

    private void targets() {
        if (!results.servers().contains(ServerKind.A)) {
            return;
        }
        line("## Spillway (A) against the targets of issue #6");
        line("");
        line("| scenario | target | measured | met |");
        line("|---|---|---|---|");
        if (results.large() != null && results.servers().contains(ServerKind.R)) {
            Stat ratio = summary.largeRatioToRaw(ServerKind.A);
            line("| 1: one " + size(results.large().uploadSize()) + " upload | ≥ 0.9 of R | " + ratio.format("%.2f") + " of R, "
                    + summary.largeThroughput(ServerKind.A).format("%.0f") + " MB/s; server CPU per GiB "
                    + summary.largeCpuPerGiB(ServerKind.A).format("%.2f") + " s against R's " + summary.largeCpuPerGiB(ServerKind.R).format("%.2f")
                    + " | " + met(!ratio.isEmpty() && ratio.median() >= 0.9) + " |");
        }
        if (results.small() != null && results.servers().contains(ServerKind.B)) {
            Stat ratio = summary.small(ServerKind.A, SmallUploadsScenario.Run::ratioToDisk);
            line("| 2: " + size(results.small().uploadSize()) + " uploads, " + results.small().concurrency() + " at a time | ≥ 1.2 × B's uploads/s | "
                    + ratio.format("%.2f") + " × B; server CPU per upload "
                    + summary.small(ServerKind.A, SmallUploadsScenario.Run::serverCpuMillisPerUpload).format("%.2f") + " ms against B's "
                    + summary.small(ServerKind.B, SmallUploadsScenario.Run::serverCpuMillisPerUpload).format("%.2f") + " | "
                    + met(!ratio.isEmpty() && ratio.median() >= 1.2) + " |");
        }
        if (results.storm() != null) {
            List<MemoryStormScenario.Run> runs = summary.stormRuns(ServerKind.A);
            int uploads = results.storm().uploads();
            boolean all = !runs.isEmpty() && runs.stream().allMatch(r -> r.succeeded() == uploads && !r.died());
            line("| 3: " + uploads + " × " + size(results.storm().uploadSize()) + " at -Xmx" + results.storm().heap() + " | " + uploads + " of "
                    + uploads + " | " + runs.stream().map(r -> r.succeeded() + "/" + uploads + (r.died() ? " (died)" : "")).collect(Collectors.joining(", "))
                    + " | " + met(all) + " |");
        }
        if (results.huge() != null) {
            Stat growth = summary.hugePeakGrowth(ServerKind.A);
            Stat retained = summary.hugeRetainedGrowth(ServerKind.A);
            boolean verified = summary.hugeRuns(ServerKind.A).stream().allMatch(HugeUploadScenario.Run::verified);
            line("| 4: one " + size(results.huge().uploadSize()) + " upload at -Xmx" + results.huge().heap() + " | peak heap growth < 16 MiB | "
                    + growth.format("%.1f") + " MiB peak, " + retained.format("%.1f") + " MiB retained after GC"
                    + (verified ? "" : ", upload failed") + " | " + met(verified && !growth.isEmpty() && growth.max() < 16) + " |");
        }
        line("");
    }

    private void large() {
        if (results.large() == null) {
            return;
        }
        line("## Scenario 1: one " + size(results.large().uploadSize()) + " upload at a time");
        line("");
        line(fmt("Each server measured %d time(s) after a warm-up upload; R measured between every two others (R, A, R, B, ...), "
                + "each ratio taken against the mean of the R measurements just before and after. MB/s = 10^6 file bytes per second, "
                + "from the first byte sent to the answer. Servers run with -Xmx%s. Server CPU is the CPU time of the server JVM "
                + "(all its threads) during the upload: on a shared machine it is steadier than the wall clock, and it shows what "
                + "each byte costs.", results.options().profile().largeRounds(), results.options().profile().sharedHeap()));
        line("");
        line("| server | MB/s median (min–max) | ratio to R median (min–max) | server CPU-s per GiB | failed |");
        line("|---|---|---|---|---|");
        for (ServerKind kind : results.servers()) {
            line("| " + name(kind) + " | " + summary.largeThroughput(kind).format("%.0f") + " | "
                    + (kind == ServerKind.R ? "1" : summary.largeRatioToRaw(kind).format("%.2f")) + " | "
                    + summary.largeCpuPerGiB(kind).format("%.2f") + " | " + summary.largeFailures(kind) + " |");
        }
        line("");
        routes(results.large().runs().stream().filter(r -> r.server() == ServerKind.A).map(r -> Map.of(r.route(), 1)).collect(Collectors.toList()));
    }

    private void small() {
        if (results.small() == null) {
            return;
        }
        SmallUploadsScenario.Result small = results.small();
        line("## Scenario 2: " + size(small.uploadSize()) + " uploads, " + small.concurrency() + " at a time");
        line("");
        line(fmt("%d uploads per measurement, %d measurement(s) per server after a warm-up, servers in a rotating order; "
                + "ratios compare servers within one round. Latency is one upload's, from sending to the answer; server CPU is the "
                + "CPU time of the server JVM (all its threads) per upload.", small.count(),
                results.options().profile().smallRounds()));
        line("");
        line("| server | uploads/s median (min–max) | p50 ms | p99 ms | ratio to B | ratio to R | server CPU ms per upload | failed |");
        line("|---|---|---|---|---|---|---|---|");
        for (ServerKind kind : results.servers()) {
            line("| " + name(kind) + " | " + summary.smallThroughput(kind).format("%.0f")
                    + " | " + summary.small(kind, SmallUploadsScenario.Run::p50Millis).format("%.1f")
                    + " | " + summary.small(kind, SmallUploadsScenario.Run::p99Millis).format("%.1f")
                    + " | " + summary.small(kind, SmallUploadsScenario.Run::ratioToDisk).format("%.2f")
                    + " | " + summary.small(kind, SmallUploadsScenario.Run::ratioToRaw).format("%.2f")
                    + " | " + summary.small(kind, SmallUploadsScenario.Run::serverCpuMillisPerUpload).format("%.2f")
                    + " | " + summary.smallFailures(kind) + " |");
        }
        line("");
        routes(results.small().runs().stream().filter(r -> r.server() == ServerKind.A).map(SmallUploadsScenario.Run::routes).collect(Collectors.toList()));
    }

    private void storm() {
        if (results.storm() == null) {
            return;
        }
        MemoryStormScenario.Result storm = results.storm();
        line("## Scenario 3: memory storm, " + storm.uploads() + " concurrent " + size(storm.uploadSize()) + " uploads at -Xmx" + storm.heap());
        line("");
        line("Each run starts a fresh server JVM with -XX:+ExitOnOutOfMemoryError. Spillway runs with inMemoryThreshold="
                + storm.spillwayThreshold() + ", above the upload size, so that only its memory budget protects it. Peak heap is "
                + "the most heap in use at any moment (garbage included); for a server that died, the last figure read before it died.");
        line("");
        line("| server | succeeded per run | failures | peak heap MiB median (min–max) | died | files left |");
        line("|---|---|---|---|---|---|");
        for (ServerKind kind : results.servers()) {
            List<MemoryStormScenario.Run> runs = summary.stormRuns(kind);
            line("| " + name(kind) + " | "
                    + runs.stream().map(r -> r.startError().isEmpty() ? r.succeeded() + "/" + storm.uploads() : "not started").collect(Collectors.joining(", "))
                    + " | " + runs.stream().map(r -> r.failures().isEmpty() ? "-" : r.failures().toString()).collect(Collectors.joining(", "))
                    + " | " + summary.stormPeakHeap(kind).format("%.0f")
                    + " | " + died(runs.stream().map(r -> r.died() ? r.deathReason() : "").collect(Collectors.toList()))
                    + " | " + runs.stream().map(r -> Long.toString(r.filesLeft())).collect(Collectors.joining(", ")) + " |");
        }
        line("");
        routes(summary.stormRuns(ServerKind.A).stream().map(MemoryStormScenario.Run::routes).collect(Collectors.toList()));
    }

    private void huge() {
        if (results.huge() == null) {
            return;
        }
        HugeUploadScenario.Result huge = results.huge();
        line("## Scenario 4: one " + size(huge.uploadSize()) + " upload at -Xmx" + huge.heap());
        line("");
        line("Each run starts a fresh server JVM; a full collection before the upload sets the baseline. Peak growth is the most "
                + "heap in use at any moment of the upload minus the baseline, garbage included (it depends on how far the collector "
                + "lets the young generation grow); retained growth is the most heap left after any collection minus the baseline "
                + "(what the server held on to).");
        line("");
        line("| server | outcome | peak heap growth MiB | retained growth MiB | MB/s | died | files left |");
        line("|---|---|---|---|---|---|---|");
        for (ServerKind kind : results.servers()) {
            List<HugeUploadScenario.Run> runs = summary.hugeRuns(kind);
            line("| " + name(kind) + " | " + runs.stream().map(HugeUploadScenario.Run::outcome).collect(Collectors.joining(", "))
                    + " | " + summary.hugePeakGrowth(kind).format("%.1f")
                    + " | " + summary.hugeRetainedGrowth(kind).format("%.1f")
                    + " | " + summary.hugeThroughput(kind).format("%.0f")
                    + " | " + died(runs.stream().map(r -> r.died() ? r.deathReason() : "").collect(Collectors.toList()))
                    + " | " + runs.stream().map(r -> Long.toString(r.filesLeft())).collect(Collectors.joining(", ")) + " |");
        }
        line("");
        routes(summary.hugeRuns(ServerKind.A).stream().map(r -> Map.of(r.route(), 1)).collect(Collectors.toList()));
        String collectors = huge.runs().stream().filter(r -> r.stats() != null).map(r -> r.stats().collectors()).findFirst().orElse("unknown");
        line("Garbage collectors of the server JVMs: " + collectors + ".");
        line("");
    }

    private void method() {
        line("## How it is measured");
        line("");
        line("- Servers: embedded Tomcat 11 on 127.0.0.1 and an ephemeral port, each in its own JVM forked by the harness "
                + "with the JDK that runs it; they write to their own temporary directories, deleted afterwards.");
        line("- Client: the JDK HttpClient over HTTP/1.1 with a known Content-Length; one multipart file part per upload; "
                + "the body is generated in 64 KiB buffers from a SplitMix64 stream and digested with SHA-256 while it is sent.");
        line("- Heap: each server has a /stats endpoint fed by garbage-collection notifications (heap in use just before and just "
                + "after every collection) and the current use; a POST collects garbage and sets the baseline.");
        line("- Medians and min–max are over the repeated measurements of this run; ratios are taken within the run, so that other "
                + "load on the machine affects both sides.");
        line("");
    }

    private void notes() {
        if (results.notes().isEmpty()) {
            return;
        }
        line("## Notes");
        line("");
        results.notes().forEach(note -> line("- " + note));
        line("");
    }

    /** One line with the routes Spillway reported for its verified uploads, when it ran. */
    private void routes(List<Map<String, Integer>> perRun) {
        Map<String, Integer> total = new TreeMap<>();
        perRun.forEach(routes -> routes.forEach((route, count) -> {
            if (!route.isEmpty()) {
                total.merge(route, count, Integer::sum);
            }
        }));
        if (!total.isEmpty()) {
            line("Spillway's routes for its verified uploads: " + total.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ".");
            line("");
        }
    }

    private static String died(List<String> reasons) {
        long deaths = reasons.stream().filter(r -> !r.isEmpty()).count();
        if (deaths == 0) {
            return "no";
        }
        String reason = reasons.stream().filter(r -> !r.isEmpty()).findFirst().orElse("");
        return "**yes** (" + deaths + " of " + reasons.size() + "): " + reason;
    }

    private static String name(ServerKind kind) {
        return kind + " " + kind.label();
    }

    private static String met(boolean met) {
        return met ? "yes" : "**no**";
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return (bytes >> 10) + " KiB";
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}
