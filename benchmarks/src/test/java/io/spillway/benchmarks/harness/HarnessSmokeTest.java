package io.spillway.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole harness in its tiny mode against the raw-body server R and Tomcat's disk
 * multipart B, forked JVMs and real HTTP included, and checks that the report is written with
 * plausible, verified numbers. It asserts no speed: only that things were measured.
 */
class HarnessSmokeTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    static Path dir;

    private static Map<String, Object> json;
    private static String report;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    static void runTinyHarness() throws IOException, InterruptedException {
        HarnessOptions options = HarnessOptions.parse("--tiny", "--servers", "R,B",
                "--out", dir.resolve("results").toString(), "--work", dir.resolve("work").toString());
        new Harness(options, System.out).run();
        report = Files.readString(dir.resolve("results/results-tiny.md"), StandardCharsets.UTF_8);
        json = Json.parseObject(Files.readString(dir.resolve("results/results-tiny.json"), StandardCharsets.UTF_8));
    }

    @Test
    void report_describesMachineAndEveryScenario() {
        assertTrue(report.contains("| CPU | "), report);
        assertTrue(report.contains("| JDK | "), report);
        for (String heading : List.of("## Scenario 1", "## Scenario 2", "## Scenario 3", "## Scenario 4")) {
            assertTrue(report.contains(heading), "missing " + heading);
        }
        assertTrue(report.contains("| R raw body | "), report);
        assertTrue(report.contains("| B Tomcat, disk | "), report);
        assertFalse(report.contains("## Spillway (A)"), "A was not asked for");
    }

    @Test
    void scenario1_measuresVerifiedThroughputAndRatios() {
        Map<String, Object> summary = summary("scenario1");
        assertPositive(stat(summary, "R", "megabytesPerSecond"));
        assertPositive(stat(summary, "B", "megabytesPerSecond"));
        assertPositive(stat(summary, "B", "ratioToRaw"));
        assertEquals(0L, server(summary, "R").get("failures"));
        assertEquals(0L, server(summary, "B").get("failures"));
    }

    @Test
    void scenario1_everyUploadArrivedWhole_withItsDigest() {
        Map<String, Object> scenario = scenario("scenario1");
        assertEquals(Profile.TINY.largeUploadSize(), scenario.get("uploadSize"));
        List<Map<String, Object>> runs = runs(scenario);
        assertEquals(List.of("B", "R"), runs.stream().map(run -> (String) run.get("server")).distinct().sorted().toList());
        for (Map<String, Object> run : runs) {
            assertEquals(true, run.get("verified"), "the server's digest is the sent file's: " + run);
            assertEquals("", run.get("detail"), run.toString());
            assertPositive(((Number) run.get("megabytesPerSecond")).doubleValue());
        }
    }

    @Test
    void scenario2_everyUploadOfEveryRunIsVerified() {
        Map<String, Object> scenario = scenario("scenario2");
        assertEquals((long) Profile.TINY.smallCount(), scenario.get("count"));
        for (Map<String, Object> run : runs(scenario)) {
            assertEquals(scenario.get("count"), run.get("verified"), "digests matched for every upload: " + run);
            assertEquals(0L, run.get("failed"), run.toString());
        }
    }

    @Test
    void report_showsTheMedianThroughputTheJsonHolds() {
        Map<String, Object> summary = summary("scenario1");
        String median = String.format(Locale.ROOT, "%.0f", stat(summary, "B", "megabytesPerSecond"));
        assertTrue(report.contains("| B Tomcat, disk | " + median), "B's scenario 1 row shows " + median + ":\n" + report);
    }

    @Test
    void scenario2_measuresEveryUploadAndOrderedPercentiles() {
        Map<String, Object> summary = summary("scenario2");
        for (String server : List.of("R", "B")) {
            assertPositive(stat(summary, server, "uploadsPerSecond"));
            double p50 = stat(summary, server, "p50Millis");
            double p99 = stat(summary, server, "p99Millis");
            assertPositive(p50);
            assertTrue(p50 <= p99, server + ": p50 " + p50 + " > p99 " + p99);
            assertPositive(stat(summary, server, "serverCpuMillisPerUpload"));
            assertEquals(0L, server(summary, server).get("failures"));
        }
        assertEquals(1.0, stat(summary, "B", "ratioToDisk"), 1e-9);
    }

    @Test
    void scenario3_streamingServersSurviveTheStorm() {
        Map<String, Object> summary = summary("scenario3");
        for (String server : List.of("R", "B")) {
            assertEquals(24.0, stat(summary, server, "succeeded"), server);
            assertEquals(0L, server(summary, server).get("runsDied"), server);
            double peak = stat(summary, server, "peakHeapMiB");
            assertTrue(peak > 0 && peak <= 64, server + " peak heap " + peak + " MiB");
        }
    }

    @Test
    void scenario4_measuresHeapGrowthWithinTheHeap() {
        Map<String, Object> scenario = scenario("scenario4");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> runs = (List<Map<String, Object>>) scenario.get("runs");
        assertEquals(2, runs.size());
        for (Map<String, Object> run : runs) {
            assertEquals(true, run.get("verified"), run.toString());
            assertEquals(false, run.get("died"), run.toString());
            assertEquals(0L, run.get("filesLeft"), run.toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> heap = (Map<String, Object>) run.get("heap");
            assertNotNull(heap, run.toString());
            long baseline = (Long) heap.get("baseline");
            long peak = (Long) heap.get("peakUsed");
            long max = (Long) heap.get("max");
            assertTrue(baseline > 0 && baseline <= peak && peak <= max && max <= 64 * MIB, heap.toString());
        }
    }

    @Test
    void chart_isWrittenAsSvgAndPng() throws IOException {
        String svg = Files.readString(dir.resolve("results/results-tiny.svg"), StandardCharsets.UTF_8);
        assertTrue(svg.startsWith("<svg") && svg.trim().endsWith("</svg>"));
        BufferedImage png = ImageIO.read(dir.resolve("results/results-tiny.png").toFile());
        assertNotNull(png);
        assertTrue(png.getWidth() > 100 && png.getHeight() > 100);
        assertTrue(report.contains("(results-tiny.svg)"));
    }

    @Test
    void serversCleanUpTheirDirectories() throws IOException {
        try (var entries = Files.list(dir.resolve("work"))) {
            Path workRoot = entries.findFirst().orElseThrow();
            try (var left = Files.list(workRoot)) {
                assertEquals(List.of(workRoot.resolve("logs")), left.toList(), "only the logs are kept");
            }
        }
    }

    private static void assertPositive(double value) {
        assertTrue(value > 0 && Double.isFinite(value), "not a positive number: " + value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> scenario(String name) {
        Map<String, Object> scenario = (Map<String, Object>) json.get(name);
        assertNotNull(scenario, name + " missing");
        return scenario;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> runs(Map<String, Object> scenario) {
        List<Map<String, Object>> runs = (List<Map<String, Object>>) scenario.get("runs");
        assertFalse(runs == null || runs.isEmpty(), "no runs: " + scenario);
        return runs;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(String name) {

        return (Map<String, Object>) scenario(name).get("summary");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> server(Map<String, Object> summary, String server) {
        return (Map<String, Object>) summary.get(server);
    }

    @SuppressWarnings("unchecked")
    private static double stat(Map<String, Object> summary, String server, String metric) {
        Map<String, Object> stat = (Map<String, Object>) server(summary, server).get(metric);
        Object median = stat.get("median");
        assertNotNull(median, server + " " + metric + " has no median");
        return ((Number) median).doubleValue();
    }
}
