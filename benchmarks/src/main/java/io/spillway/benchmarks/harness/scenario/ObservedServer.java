package io.spillway.benchmarks.harness.scenario;

import io.spillway.benchmarks.harness.ServerKind;
import io.spillway.benchmarks.harness.ServerProcess;
import io.spillway.benchmarks.harness.client.HeapStats;
import io.spillway.benchmarks.harness.client.StatsReader;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs work against a fresh server JVM while watching its heap, then tells what the server went
 * through: its heap peaks, whether it died and why, and whether it left files behind.
 */
final class ObservedServer {

    private static final Duration WATCH_INTERVAL = Duration.ofMillis(200);

    /**
     * What was observed.
     *
     * @param value       what the work returned, null when the server did not start
     * @param stats       the heap since the baseline; for a server that died, the last figures read
     *                    before it died; null when none could be read
     * @param died        the JVM exited by itself
     * @param deathReason e.g. {@code OutOfMemoryError: Java heap space (exit 3)}
     * @param filesLeft   files left in the server's upload directory after the work
     * @param startError  why the server did not start, or empty
     */
    record Observation<T>(T value, HeapStats stats, boolean died, String deathReason, long filesLeft, String startError) {
    }

    private ObservedServer() {
    }

    static <T> Observation<T> observe(RunContext context, ServerKind kind, String heap, Map<String, String> initParams, String label,
                                      Function<ServerProcess, T> work) {
        ServerProcess server;
        try {
            server = context.startServer(kind, heap, initParams, label);
        } catch (IOException e) {
            return new Observation<>(null, null, false, "", 0, e.getMessage());
        }
        try (server) {
            StatsReader reader = context.stats();
            try {
                reader.reset(server.statsUri());
            } catch (IOException e) {
                return new Observation<>(null, null, !server.isAlive(), server.deathReason(), 0, "stats reset failed: " + e.getMessage());
            }
            StatsReader.Watch watch = reader.watch(server.statsUri(), WATCH_INTERVAL);
            T value = work.apply(server);
            HeapStats last = watch.stop();
            HeapStats stats = finalStats(reader, server, last);
            boolean died = !server.isAlive();
            return new Observation<>(value, stats, died, server.deathReason(), server.filesLeft(), "");
        }
    }

    /** Reads the figures once more; a server that no longer answers is given time to finish dying. */
    private static HeapStats finalStats(StatsReader reader, ServerProcess server, HeapStats last) {
        if (server.isAlive()) {
            try {
                return reader.read(server.statsUri());
            } catch (IOException e) {
                server.awaitExit(Duration.ofSeconds(10));
            }
        }
        return last;
    }
}
