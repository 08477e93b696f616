package io.spillway.benchmarks.harness.scenario;

import io.spillway.benchmarks.harness.ServerKind;
import io.spillway.benchmarks.harness.client.HeapStats;
import io.spillway.benchmarks.harness.client.UploadOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scenario 3, the memory storm: many medium uploads arrive at once at a server with a small heap
 * ({@code -XX:+ExitOnOutOfMemoryError}). Each run starts a fresh server JVM. Spillway's
 * {@code inMemoryThreshold} is set above the upload size so that only its memory budget can keep
 * it alive.
 */
public final class MemoryStormScenario {

    /**
     * One run against a fresh server.
     *
     * @param server      the server
     * @param run         1-based run
     * @param succeeded   uploads answered 200 with the right digest
     * @param failures    the other uploads, grouped by label ({@code 503}, {@code no response}, ...)
     * @param stats       heap figures (the last ones read for a server that died), or null
     * @param died        the server JVM exited by itself
     * @param deathReason why it exited
     * @param seconds     from the first upload sent to the last answer
     * @param filesLeft   files the server left in its upload directory
     * @param startError  why the server did not start, or empty
     * @param routes      Spillway's routes of the uploads that succeeded; empty for other servers
     */
    public record Run(ServerKind server, int run, int succeeded, TreeMap<String, Integer> failures, HeapStats stats, boolean died,
                      String deathReason, double seconds, long filesLeft, String startError, TreeMap<String, Integer> routes) {
    }

    /**
     * The scenario's runs.
     *
     * @param uploads            concurrent uploads per run
     * @param uploadSize         bytes of each
     * @param heap               the servers' -Xmx
     * @param spillwayThreshold  Spillway's inMemoryThreshold in this scenario
     * @param runs               every run
     */
    public record Result(int uploads, long uploadSize, String heap, String spillwayThreshold, List<Run> runs) {
    }

    private record Storm(int succeeded, TreeMap<String, Integer> failures, double seconds, TreeMap<String, Integer> routes) {
    }

    private final RunContext context;

    /** Creates the scenario. */
    public MemoryStormScenario(RunContext context) {
        this.context = context;
    }

    /** Runs the scenario, starting one fresh server per server kind and run. */
    public Result run(List<ServerKind> servers) {
        var profile = context.profile();
        context.say("scenario 3: %d concurrent uploads of %d MiB at -Xmx%s, %d run(s)",
                profile.stormUploads(), profile.stormUploadSize() >> 20, profile.stormHeap(), profile.stormRuns());
        List<Run> runs = new ArrayList<>();
        for (int run = 1; run <= profile.stormRuns(); run++) {
            for (ServerKind kind : servers) {
                Map<String, String> init = kind == ServerKind.A ? Map.of("inMemoryThreshold", profile.stormSpillwayThreshold()) : Map.of();
                ObservedServer.Observation<Storm> seen = ObservedServer.observe(context, kind, profile.stormHeap(), init, "s3-run" + run,
                        server -> storm(server.uploadUri(), kind));
                Storm storm = seen.value();
                Run result = storm == null
                        ? new Run(kind, run, 0, new TreeMap<>(), seen.stats(), seen.died(), seen.deathReason(), Double.NaN, seen.filesLeft(), seen.startError(), new TreeMap<>())
                        : new Run(kind, run, storm.succeeded(), storm.failures(), seen.stats(), seen.died(), seen.deathReason(), storm.seconds(),
                                seen.filesLeft(), seen.startError(), storm.routes());
                runs.add(result);
                context.say("  run %d: %s %d/%d succeeded%s%s, peak heap %s%s%s", run, kind, result.succeeded(), profile.stormUploads(),
                        result.routes().isEmpty() ? "" : " " + result.routes(),
                        result.failures().isEmpty() ? "" : ", failed " + result.failures(),
                        result.stats() == null ? "unknown" : (result.stats().peakUsed() >> 20) + " MiB",
                        result.died() ? ", DIED: " + result.deathReason() : "",
                        result.startError().isEmpty() ? "" : ", not started: " + result.startError());
            }
        }
        return new Result(profile.stormUploads(), profile.stormUploadSize(), profile.stormHeap(), profile.stormSpillwayThreshold(), runs);
    }

    private Storm storm(java.net.URI uri, ServerKind kind) {
        int uploads = context.profile().stormUploads();
        ExecutorService pool = Executors.newFixedThreadPool(uploads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<UploadOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return context.client().upload(uri, context.payload(kind, context.profile().stormUploadSize()));
                }));
            }
            long began = System.nanoTime();
            start.countDown();
            int succeeded = 0;
            TreeMap<String, Integer> failures = new TreeMap<>();
            TreeMap<String, Integer> routes = new TreeMap<>();
            for (Future<UploadOutcome> future : outcomes) {
                UploadOutcome outcome = future.get();
                if (outcome.verified()) {
                    succeeded++;
                    if (!outcome.route().isEmpty()) {
                        routes.merge(outcome.route(), 1, Integer::sum);
                    }
                } else {
                    failures.merge(outcome.failureLabel(), 1, Integer::sum);
                }
            }
            return new Storm(succeeded, failures, (System.nanoTime() - began) / 1e9, routes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the storm", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("upload task failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
