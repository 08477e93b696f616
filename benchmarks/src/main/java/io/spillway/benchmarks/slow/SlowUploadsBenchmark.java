package io.spillway.benchmarks.slow;

import io.spillway.benchmarks.harness.CpuAccounting;
import io.spillway.benchmarks.harness.ServerKind;
import io.spillway.benchmarks.harness.ServerProcess;
import io.spillway.core.internal.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thousands of uploads in flight: N clients each send one file at a fixed slow rate (64 KiB/s,
 * as a phone on a mobile network) to a fresh server JVM, side by side in one run: Spillway's
 * filter on the streamed route read with a blocking thread, with {@code nonBlockingIntake=true},
 * and on virtual threads (a Java 21+ JDK, Tomcat's {@code useVirtualThreads}), against Tomcat's own
 * disk multipart on platform and on virtual threads, and the floor: an async servlet whose
 * {@code ReadListener} copies the raw body, what the container itself costs (see {@link Mode}). Once all N are open it
 * measures a plain GET to another servlet every 100 ms: those started in the first {@link #SETTLING}, while the
 * server catches up with the opening (the slowest of them), and, beside them, those started in the
 * {@link #LATENCY_WINDOW} after it, with all N in flight (p50, p99); then the heap after a full GC
 * and the resident memory of the server process, each over its value before the uploads and
 * divided by the uploads then in flight; at the end, how the uploads ended.
 *
 * <pre>
 * java -cp benchmarks/target/spillway-benchmarks.jar io.spillway.benchmarks.slow.SlowUploadsBenchmark \
 *     [--counts 100,1000,10000] [--modes SPILLWAY,SPILLWAY_NON_BLOCKING,SPILLWAY_VIRTUAL,TOMCAT,TOMCAT_VIRTUAL,FLOOR]
 *     [--java21 /usr/lib/jvm/temurin-25-jdk-amd64] [--size 1MiB-in-bytes] [--out benchmarks/results]
 *     [--record true]   (a Java Flight Recording of each server JVM, next to its log)
 * </pre>
 *
 * <p>Writes {@code slow-uploads.md} and {@code slow-uploads.svg} to the output directory. The
 * virtual-thread modes are left out when no Java 21+ JDK is given or found at the default path.
 */
public final class SlowUploadsBenchmark {

    private static final long RATE = 64 << 10;
    private static final int OPEN_PER_SECOND = 2000;
    private static final Duration SETTLING = Duration.ofSeconds(2);
    private static final Duration LATENCY_WINDOW = Duration.ofSeconds(5);

    /**
     * One measurement.
     *
     * @param heapPerUpload heap after GC over the baseline, per upload in flight (bytes)
     * @param rssPerUpload  resident memory over the baseline, per upload in flight (bytes)
     * @param threads       the server JVM's threads while the uploads were in flight
     * @param inFlight      uploads open when memory was measured
     * @param getMaxSettlingMillis the slowest GET in the {@link #SETTLING} time right after the last upload opened
     */
    record Run(Mode mode, int count, double getMaxSettlingMillis, double getP50Millis, double getP99Millis,
               int getFailures,
               double heapPerUpload, double rssPerUpload, int threads, int inFlight, TreeMap<String, Integer> outcomes) {
    }

    /** One server set-up of the comparison. */
    enum Mode {
        SPILLWAY("Spillway, blocking read", "#1f77b4", ServerKind.A, Map.of(), false),
        SPILLWAY_NON_BLOCKING("Spillway, nonBlockingIntake", "#2ca02c", ServerKind.A,
                Map.of("nonBlockingIntake", "true"), false),
        SPILLWAY_VIRTUAL("Spillway, virtual threads", "#9467bd", ServerKind.A, Map.of(), true),
        TOMCAT("Tomcat multipart, disk", "#d62728", ServerKind.B, Map.of(), false),
        TOMCAT_VIRTUAL("Tomcat multipart, virtual threads", "#ff7f0e", ServerKind.B, Map.of(), true),
        FLOOR("non-blocking raw read (floor)", "#7f7f7f", ServerKind.N, Map.of(), false);

        private static final Map<String, String> STREAMED = Map.of("inMemoryThreshold", "0", "diskReserve", "0",
                "minUploadRate", "1KB");

        final String label;
        final String colour;
        final ServerKind kind;
        final Map<String, String> extraParams;
        final boolean virtualThreads;

        Mode(String label, String colour, ServerKind kind, Map<String, String> extraParams, boolean virtualThreads) {
            this.label = label;
            this.colour = colour;
            this.kind = kind;
            this.extraParams = extraParams;
            this.virtualThreads = virtualThreads;
        }

        /** What the server does, for the report. */
        String description() {
            String base = kind.description() + (initParams().isEmpty() ? "" : " (" + initParams() + ")");
            return virtualThreads ? base + ", on virtual threads (Tomcat's useVirtualThreads, a Java 21+ JDK)"
                    : base + ", on Tomcat's 200 platform threads";
        }

        Map<String, String> initParams() {
            if (kind != ServerKind.A) {
                return Map.of();
            }
            Map<String, String> params = new TreeMap<>(STREAMED);
            params.putAll(extraParams);
            return params;
        }

        ServerProcess.Launch launch(Path java21) {
            return virtualThreads ? new ServerProcess.Launch(java21, Map.of("useVirtualThreads", "true"))
                    : ServerProcess.Launch.DEFAULT;
        }
    }

    private SlowUploadsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = List.of(100, 1000, 10_000);
        List<Mode> modes = List.of(Mode.values());
        Path java21 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        boolean record = false;
        int size = 1 << 20;
        Path out = Path.of("benchmarks", "results");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--counts" -> counts = Arrays.stream(args[i + 1].split(",")).map(Integer::valueOf).toList();
                case "--modes" -> modes = Arrays.stream(args[i + 1].split(",")).map(Mode::valueOf).toList();
                case "--java21" -> java21 = Path.of(args[i + 1]);
                case "--record" -> record = Boolean.parseBoolean(args[i + 1]);
                case "--size" -> size = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Files.isExecutable(java21.resolve("bin").resolve("java"))) {
            System.out.println("no Java 21+ JDK at " + java21 + ": the virtual-thread modes are left out");
            modes = modes.stream().filter(mode -> !mode.virtualThreads).toList();
        }
        byte[] payload = payload(size);
        String digest = sha256(payload);
        Path work = Files.createTempDirectory("spillway-slow-");
        List<Run> runs = new ArrayList<>();
        for (int count : counts) {
            for (Mode mode : modes) {
                Run run = measure(mode, java21, count, payload, digest, work, record);
                runs.add(run);
                System.out.printf(Locale.ROOT, "%s N=%d: GET settling max %.1f ms, p50 %.1f ms p99 %.1f ms (%d failed), heap %.1f KiB/upload, "
                                + "RSS %.1f KiB/upload, %d threads, %d in flight, outcomes %s%n", mode.label, count,
                        run.getMaxSettlingMillis(), run.getP50Millis(), run.getP99Millis(), run.getFailures(), run.heapPerUpload() / 1024,
                        run.rssPerUpload() / 1024, run.threads(), run.inFlight(), run.outcomes());
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("slow-uploads.md"), SlowUploadsReport.markdown(runs, size, RATE),
                StandardCharsets.UTF_8);
        Files.writeString(out.resolve("slow-uploads.svg"), SlowUploadsReport.svg(runs), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.resolve("slow-uploads.md"));
    }

    private static Run measure(Mode mode, Path java21, int count, byte[] payload, String digest, Path work,
                               boolean record) throws Exception {
        try (ServerProcess server = ServerProcess.start(mode.kind, "2g", mode.initParams(), work,
                "slow-" + count + "-" + mode.name(), CpuAccounting.start(), record, mode.launch(java21))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            long heapBefore = heapAfterGc(http, server);
            long rssBefore = procStatus(server.pid(), "VmRSS:") * 1024;
            long duration = payload.length * 1000L / RATE;
            long timeout = duration + count * 1000L / OPEN_PER_SECOND + 120_000;
            double[] latency = new double[3];
            AtomicInteger getFailures = new AtomicInteger();
            long[] memory = new long[4];
            CountDownLatch measured = new CountDownLatch(1);
            try (SlowClients clients = new SlowClients(new InetSocketAddress("127.0.0.1", server.uploadUri().getPort()),
                    server.uploadUri().getPath(), payload, RATE,
                    mode.kind.digestsWholeBody() ? SlowClients.bodySha256(payload) : digest)) {
                clients.run(count, OPEN_PER_SECOND, timeout, () -> {
                    CompletableFuture<List<Double>> settling = CompletableFuture.supplyAsync(
                            () -> sampleGets(http, server, Duration.ZERO, SETTLING, getFailures));
                    List<Double> samples = sampleGets(http, server, SETTLING, LATENCY_WINDOW, getFailures);
                    latency[0] = percentile(samples, 50);
                    latency[1] = percentile(samples, 99);
                    latency[2] = percentile(settling.join(), 100);
                    memory[2] = clients.inFlight();
                    memory[0] = heapAfterGc(http, server);
                    memory[1] = procStatus(server.pid(), "VmRSS:") * 1024;
                    memory[3] = procStatus(server.pid(), "Threads:");
                    measured.countDown();
                });
                measured.await(5, TimeUnit.MINUTES);
                int inFlight = (int) memory[2];
                return new Run(mode, count, latency[2], latency[0], latency[1], getFailures.get(),
                        perUpload(memory[0], heapBefore, inFlight), perUpload(memory[1], rssBefore, inFlight),
                        (int) memory[3], (int) memory[2], clients.outcomes());
            }
        }
    }

    /**
     * Growth per upload in flight, or NaN when a reading failed (the server did not answer in time)
     * or no upload was left in flight when it was taken.
     */
    private static double perUpload(long during, long before, int inFlight) {
        return during < 0 || before < 0 || inFlight <= 0 ? Double.NaN : (double) (during - before) / inFlight;
    }

    /**
     * GETs one after another, each started between {@code delay} and {@code delay + window} from now
     * (the last may end after that): how long each took.
     */
    private static List<Double> sampleGets(HttpClient http, ServerProcess server, Duration delay, Duration window,
                                           AtomicInteger failures) {
        List<Double> samples = new ArrayList<>();
        sleep(delay.toMillis());
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.statsUri())
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    samples.add((System.nanoTime() - start) / 1e6);
                } else {
                    failures.incrementAndGet();
                }
            } catch (IOException e) {
                failures.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return samples;
            }
            sleep(100);
        }
        return samples;
    }

    /** POST /stats collects garbage in the server and answers the heap left. */
    private static long heapAfterGc(HttpClient http, ServerProcess server) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.statsUri())
                    .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            return ((Number) Json.parseObject(response.body()).get("baselineHeapUsed")).longValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A number from {@code /proc/<pid>/status} (kB for memory lines). */
    private static long procStatus(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static double percentile(List<Double> samples, int percent) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = samples.stream().sorted().toList();
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        long state = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < size; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            bytes[i] = (byte) (state >>> 56);
        }
        return bytes;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
