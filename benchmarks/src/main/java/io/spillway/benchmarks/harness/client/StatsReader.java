package io.spillway.benchmarks.harness.client;

import io.spillway.core.internal.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** Reads and resets a server's heap statistics over HTTP, once or every few hundred milliseconds. */
public final class StatsReader {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;

    /** Uses the given client. */
    public StatsReader(HttpClient http) {
        this.http = http;
    }

    /** Reads the statistics. */
    public HeapStats read(URI stats) throws IOException {
        return send(HttpRequest.newBuilder(stats).timeout(TIMEOUT).GET().build());
    }

    /** Collects garbage in the server and starts a new observation; returns the baseline. */
    public HeapStats reset(URI stats) throws IOException {
        return send(HttpRequest.newBuilder(stats).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Starts reading every {@code interval} in a background thread, keeping the latest answer. */
    public Watch watch(URI stats, Duration interval) {
        Watch watch = new Watch(stats, interval);
        watch.thread.start();
        return watch;
    }

    private HeapStats send(HttpRequest request) throws IOException {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("stats answered " + response.statusCode());
            }
            return HeapStats.of(Json.parseObject(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * Background reads of one server's statistics, so that the last figures before a server dies
     * are known.
     */
    public final class Watch {

        private final AtomicReference<HeapStats> latest = new AtomicReference<>();
        private final Thread thread;
        private volatile boolean running = true;

        private Watch(URI stats, Duration interval) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        latest.set(read(stats));
                        Thread.sleep(interval.toMillis());
                    } catch (IOException e) {
                        running = false;
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "stats-watch");
            thread.setDaemon(true);
        }

        /** Stops reading; returns the last answer, or null if none arrived. */
        public HeapStats stop() {
            running = false;
            thread.interrupt();
            try {
                thread.join(TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return latest.get();
        }
    }
}
