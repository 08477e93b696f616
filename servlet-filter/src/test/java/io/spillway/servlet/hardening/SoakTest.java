package io.spillway.servlet.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.RawHttpClient;
import io.spillway.servlet.testing.RawHttpClient.Framing;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * THREATS.md 26, bounded: 10,000 mixed requests at concurrency 32 against two filters (the
 * fast parser and FileUpload2): successes on both routes, chunked and slow ones, 4xx of every kind,
 * and aborts with FIN and RST. Zero 500s, every success's digest equal to what was sent, and
 * afterwards temp files, descriptors, the budget and the heap after GC back to their baseline.
 * Bounded in count and in time: requests not started within {@link #TIME_BOUND} are skipped.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SoakTest {

    private static final int REQUESTS = 10_000;
    private static final int WARM_UP = 96;
    private static final int CONCURRENCY = 32;
    private static final Duration TIME_BOUND = Duration.ofSeconds(150);
    private static final long HEAP_SLACK = 48L << 20;

    /** The kinds of request, with their share of the mix in percent. */
    enum Kind {
        SMALL(26), MEDIUM(12), CHUNKED(10), SLOW(4), CONTENT_RANGE(4), TOO_MANY_PARTS(8), BIG_FIELD(6), BAD_BOUNDARY(6),
        TRUNCATED(8), DECLARED_TOO_BIG(4), ABORT_FIN(6), ABORT_RST(6);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }

        static Kind pick(Random random) {
            int n = random.nextInt(100);
            for (Kind kind : values()) {
                n -= kind.weight;
                if (n < 0) {
                    return kind;
                }
            }
            throw new IllegalStateException("weights must add up to 100");
        }
    }

    @TempDir
    Path temp;

    @Test
    void mixedTraffic_noServerErrors_exactBytes_andEverythingBackToBaseline() throws Exception {
        Map<String, String> limits = Map.of("inMemoryThreshold", "512KB", "maxParts", "20", "maxFieldSize", "64KB",
                "maxFileSize", "8MB", "maxRequestSize", "8MB");
        List<Target> targets = new ArrayList<>();
        for (String parser : Mode.PARSERS) {
            Map<String, String> params = new java.util.HashMap<>(limits);
            params.put("parser", parser);
            targets.add(Target.start(temp.resolve("spill-" + parser), params, new PartsEchoServlet(),
                    Target.memory(64L << 20, 128L << 20)));
        }
        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            Map<Kind, AtomicInteger> done = new EnumMap<>(Kind.class);
            for (Kind kind : Kind.values()) {
                done.put(kind, new AtomicInteger());
            }
            run(clients, targets, WARM_UP, 7, failures, done, System.nanoTime() + TIME_BOUND.toNanos());
            assertEquals(List.of(), List.copyOf(failures), "warm-up");
            done.values().forEach(c -> c.set(0));
            List<Baseline> baselines = targets.stream().map(Target::baseline).toList();
            long heap = heapAfterGc();

            long deadline = System.nanoTime() + TIME_BOUND.toNanos();
            int skipped = run(clients, targets, REQUESTS, 26, failures, done, deadline);

            List<String> shown = failures.stream().limit(20).toList();
            assertEquals(List.of(), shown, failures.size() + " failures in " + done);
            assertTrue(REQUESTS - skipped >= REQUESTS / 2, "at least half the requests ran in time: " + done);
            for (Kind kind : Kind.values()) {
                assertTrue(done.get(kind).get() > 0, "every kind ran: " + done);
            }
            baselines.forEach(Baseline::assertRestored);
            long heapAfter = heapAfterGc();
            System.out.println("soak: " + done + ", skipped " + skipped + ", heap after GC " + (heap >> 20) + " MiB before, "
                    + (heapAfter >> 20) + " MiB after");
            assertTrue(heapAfter <= heap + HEAP_SLACK, "heap after GC " + (heapAfter >> 20) + " MiB, was "
                    + (heap >> 20) + " MiB before " + done);
        } finally {
            clients.shutdownNow();
            targets.forEach(Target::close);
        }
    }

    /** Runs {@code count} requests; returns how many were skipped for lack of time. */
    private static int run(ExecutorService clients, List<Target> targets, int count, long seed, Queue<String> failures,
                           Map<Kind, AtomicInteger> done, long deadline) throws Exception {
        Random random = new Random(seed);
        AtomicInteger skipped = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Kind kind = Kind.pick(random);
            long requestSeed = random.nextLong();
            Target target = targets.get(i % targets.size());
            futures.add(clients.submit(() -> {
                if (System.nanoTime() > deadline) {
                    skipped.incrementAndGet();
                    return;
                }
                try {
                    String failure = exercise(target, kind, new Random(requestSeed));
                    if (failure != null) {
                        failures.add(kind + ": " + failure);
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(kind + ": " + e);
                }
                done.get(kind).incrementAndGet();
            }));
        }
        for (Future<?> future : futures) {
            future.get(TIME_BOUND.toSeconds() + 60, TimeUnit.SECONDS);
        }
        return skipped.get();
    }

    /** Sends one request of a kind; returns what went wrong, or null. */
    private static String exercise(Target target, Kind kind, Random random) throws IOException {
        switch (kind) {
            case SMALL:
                return success(target, random, 1 + random.nextInt(3), 16 << 10, 240 << 10, Framing.CONTENT_LENGTH, 0);
            case MEDIUM:
                return success(target, random, 1, 600 << 10, 1536 << 10, Framing.CONTENT_LENGTH, 0);
            case CHUNKED:
                return success(target, random, 1 + random.nextInt(2), 64 << 10, 1 << 20, Framing.CHUNKED, 0);
            case SLOW:
                return success(target, random, 1, 8 << 10, 32 << 10, Framing.CONTENT_LENGTH, 2);
            case CONTENT_RANGE:
                return contentRange(target, random);
            case TOO_MANY_PARTS: {
                Body body = Body.create();
                for (int i = 0; i < 21 + random.nextInt(200); i++) {
                    body.field("f" + i, "v");
                }
                return expect(target.send(body.close().post("/upload")), 413);
            }
            case BIG_FIELD:
                return expect(target.send(Body.create().field("big", "x".repeat((64 << 10) + 1 + random.nextInt(100_000)))
                        .close().post("/upload")), 413);
            case BAD_BOUNDARY:
                return expect(target.send(RawHttpClient.request("POST", "/upload")
                        .header("Content-Type", "multipart/form-data; boundary=" + "b".repeat(71 + random.nextInt(100)))
                        .body(new byte[100])), 400);
            case TRUNCATED: {
                Body body = Body.create().field("a", "1").generatedFile("doc", "t.bin", random.nextLong(),
                        random.nextInt(2 << 20));
                return expect(target.send(body.post("/upload").framing(random.nextBoolean() ? Framing.CHUNKED
                        : Framing.CONTENT_LENGTH)), 400);
            }
            case DECLARED_TOO_BIG:
                return expect(target.send(RawHttpClient.request("POST", "/upload")
                        .header("Content-Type", Body.create().contentType()).declaredLength(100L << 20)), 413);
            case ABORT_FIN:
            case ABORT_RST:
                return abort(target, random, kind == Kind.ABORT_FIN);
            default:
                throw new IllegalArgumentException(kind.name());
        }
    }

    private static String success(Target target, Random random, int files, int minSize, int maxSize, Framing framing,
                                  long pauseMillis) throws IOException {
        Body body = Body.create().field("title", "soak " + random.nextInt());
        long[] seeds = new long[files];
        int[] sizes = new int[files];
        for (int i = 0; i < files; i++) {
            seeds[i] = random.nextLong();
            sizes[i] = minSize + random.nextInt(maxSize - minSize);
            body.generatedFile("f" + i, "f" + i + ".bin", seeds[i], sizes[i]);
        }
        RawHttpClient.Request request = body.close().post("/upload").framing(framing);
        if (pauseMillis > 0) {
            request.pieces(4096, Duration.ofMillis(pauseMillis));
        }
        RawHttpClient.Response response = target.send(request);
        if (response.status() != 200) {
            return "expected 200, got " + response;
        }
        List<Map<String, Object>> parts = Responses.parts(Json.parseObject(response.text()));
        for (int i = 0; i < files; i++) {
            Map<String, Object> part = parts.get(i + 1);
            if (!GeneratedStream.sha256Of(seeds[i], sizes[i]).equals(part.get("sha256"))
                    || ((Number) part.get("size")).longValue() != sizes[i]) {
                return "file " + i + " arrived changed: " + part;
            }
        }
        return null;
    }

    /** A file sent as three Content-Range slices, the middle one last. */
    private static String contentRange(Target target, Random random) throws IOException {
        int total = 3 + random.nextInt(600_000);
        long seed = random.nextLong();
        byte[] file = GeneratedStream.bytes(seed, total);
        int a = total / 3;
        int b = 2 * total / 3;
        String id = null;
        RawHttpClient.Response response = null;
        for (int[] slice : new int[][] {{0, a}, {b, total}, {a, b}}) {
            RawHttpClient.Request request = RawHttpClient.request("PUT", "/upload")
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Range", "bytes " + slice[0] + "-" + (slice[1] - 1) + "/" + total)
                    .body(java.util.Arrays.copyOfRange(file, slice[0], slice[1]));
            if (id != null) {
                request.header("Upload-Id", id);
            }
            response = target.send(request);
            if (response.status() != 200) {
                return "slice " + slice[0] + "-" + slice[1] + " of " + total + ": " + response;
            }
            id = id == null ? response.header("Upload-Id") : id;
        }
        Map<String, Object> part = Responses.parts(Json.parseObject(response.text())).get(0);
        return Responses.sha256(file).equals(part.get("sha256")) ? null : "assembled file changed: " + part;
    }

    private static String expect(RawHttpClient.Response response, int status) {
        return response.status() == status ? null : "expected " + status + ", got " + response;
    }

    private static String abort(Target target, Random random, boolean fin) throws IOException {
        Body body = Body.create().generatedFile("doc", "a.bin", random.nextLong(), 1 + random.nextInt(4 << 20)).close();
        try (RawHttpClient client = RawHttpClient.connect(target.port())) {
            Framing framing = random.nextBoolean() ? Framing.CHUNKED : Framing.CONTENT_LENGTH;
            client.write(body.post("/upload").framing(framing).head());
            byte[] some = body.stream().readNBytes(random.nextInt((int) Math.min(body.length(), 1 << 20)));
            if (some.length > 0) {
                if (framing == Framing.CHUNKED) {
                    client.writeChunk(some, 0, some.length);
                } else {
                    client.write(some);
                }
            }
            if (!fin) {
                client.reset();
                return null;
            }
            client.finish();
            try {
                RawHttpClient.Response response = client.readResponse();
                return response.status() >= 500 ? "a server error after FIN: " + response : null;
            } catch (IOException closedWithoutAnswer) {
                return null;
            }
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
