package io.spillway.benchmarks.harness;

import io.spillway.benchmarks.harness.client.UploadClient;
import io.spillway.benchmarks.harness.report.Chart;
import io.spillway.benchmarks.harness.report.MarkdownReport;
import io.spillway.benchmarks.harness.report.ResultsJson;
import io.spillway.benchmarks.harness.scenario.HugeUploadScenario;
import io.spillway.benchmarks.harness.scenario.LargeUploadScenario;
import io.spillway.benchmarks.harness.scenario.MemoryStormScenario;
import io.spillway.benchmarks.harness.scenario.RunContext;
import io.spillway.benchmarks.harness.scenario.SmallUploadsScenario;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One harness run: forks the servers, drives the scenarios from this JVM (the client), and writes
 * {@code results-<profile>.md}, {@code .svg}, {@code .png} and {@code .json} to the output directory.
 */
public final class Harness {

    private final HarnessOptions options;
    private final PrintStream progress;

    /** Creates a run that prints its progress to {@code progress}. */
    public Harness(HarnessOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /** The Markdown report's path for these options. */
    public Path reportFile() {
        return options.outputDir().resolve("results-" + options.profile().name() + ".md");
    }

    /** Runs everything and writes the report; returns what was measured. */
    public HarnessResults run() throws IOException, InterruptedException {
        Path workRoot = options.workDir() == null
                ? Files.createTempDirectory("spillway-bench-")
                : Files.createTempDirectory(Files.createDirectories(options.workDir()), "spillway-bench-");
        MachineInfo machine = MachineInfo.capture(workRoot);
        CpuAccounting cpu = CpuAccounting.start();
        List<String> notes = new ArrayList<>();
        List<ServerKind> servers = availableServers(notes);
        RunContext context = new RunContext(options.profile(), new UploadClient(Duration.ofMinutes(10)), workRoot, cpu,
                options.flightRecordings(), options.spillwayParams(), progress);

        LargeUploadScenario.Result large = null;
        SmallUploadsScenario.Result small = null;
        if (options.scenarios().contains(1) || options.scenarios().contains(2)) {
            List<ServerProcess> shared = startShared(context, servers, notes);
            try {
                if (options.scenarios().contains(1)) {
                    large = new LargeUploadScenario(context).run(shared);
                }
                if (options.scenarios().contains(2)) {
                    small = new SmallUploadsScenario(context).run(shared);
                }
                noteLeftovers(shared, notes);
            } finally {
                shared.forEach(ServerProcess::close);
            }
        }
        MemoryStormScenario.Result storm = options.scenarios().contains(3) ? new MemoryStormScenario(context).run(servers) : null;
        HugeUploadScenario.Result huge = options.scenarios().contains(4) ? new HugeUploadScenario(context).run(servers) : null;
        notes.add("server logs: " + workRoot.resolve("logs"));

        HarnessResults results = new HarnessResults(options, machine, cpu.usage(), servers, notes, large, small, storm, huge);
        write(results);
        return results;
    }

    private List<ServerKind> availableServers(List<String> notes) {
        List<ServerKind> servers = new ArrayList<>();
        for (ServerKind kind : options.servers()) {
            if (kind.isAvailable()) {
                servers.add(kind);
            } else {
                notes.add(kind + " skipped: " + ServerKind.SPILLWAY_FILTER + " is not on the class path");
                progress.println(kind + " skipped: " + ServerKind.SPILLWAY_FILTER + " is not on the class path");
            }
        }
        return servers;
    }

    private List<ServerProcess> startShared(RunContext context, List<ServerKind> servers, List<String> notes) {
        List<ServerProcess> started = new ArrayList<>();
        for (ServerKind kind : servers) {
            try {
                started.add(context.startServer(kind, options.profile().sharedHeap(), Map.of(), "s12"));
            } catch (IOException e) {
                notes.add(kind + " did not start for scenarios 1 and 2: " + e.getMessage());
                progress.println(kind + " did not start: " + e.getMessage());
            }
        }
        return started;
    }

    private static void noteLeftovers(List<ServerProcess> servers, List<String> notes) {
        for (ServerProcess server : servers) {
            if (!server.isAlive()) {
                notes.add(server.kind() + " died during scenarios 1 and 2: " + server.deathReason());
            }
            long left = server.filesLeft();
            if (left != 0) {
                notes.add(server.kind() + " left " + left + " file(s) in its upload directory after scenarios 1 and 2");
            }
        }
    }

    private void write(HarnessResults results) throws IOException {
        Files.createDirectories(options.outputDir());
        String base = "results-" + options.profile().name();
        Chart chart = new Chart(results);
        Path svg = options.outputDir().resolve(base + ".svg");
        Files.writeString(svg, chart.svg(), StandardCharsets.UTF_8);
        Files.write(options.outputDir().resolve(base + ".png"), chart.png());
        Files.writeString(options.outputDir().resolve(base + ".json"), ResultsJson.write(results), StandardCharsets.UTF_8);
        Files.writeString(reportFile(), MarkdownReport.render(results, svg.getFileName().toString()), StandardCharsets.UTF_8);
    }
}
