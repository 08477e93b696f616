package io.spillway.servlet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.storage.TempStorage;
import io.spillway.core.time.ManualTicker;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MultipartBody;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.RawClient;
import io.spillway.servlet.testing.TestServer;
import io.spillway.servlet.testing.TestServers;
import io.spillway.servlet.testing.ThrottledInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients over raw sockets: a drip (one byte every 2 s), a silent client and a dripping
 * Content-Range chunk, all with {@code minUploadRate=1KB} over {@code minRateWindow=3s}, are cut
 * off with 408 (their bodies would take days), their partial files are deleted and their threads
 * freed, while a normal upload on the same server completes.
 *
 * <p>The filter measures rates on an injected {@link ManualTicker}: while it stands still nobody is
 * cut off, however long the test takes; once it moves past the window, the watchdog's next round
 * (every 375 ms of real time) answers all three. The connector's own read timeout is a minute, so
 * only the watchdog can explain the cut-off. {@code SlowDripTest} and the container suite cover the
 * same path on real time.
 */
class SlowClientTest {

    private static final String BOUNDARY = "slow-boundary-1234";

    @TempDir
    Path temp;

    @RegisterExtension
    final TestServers servers = new TestServers();

    private TestServer server;

    @Test
    void dripAndSilentClients_areCutOff_whileANormalUploadCompletes() throws Exception {
        ManualTicker ticker = new ManualTicker();
        MemoryAwareUploadFilter filter = new MemoryAwareUploadFilter(null, Clock.systemUTC(), ticker);
        server = servers.start(TestServer.builder()
                .filter(filter, Map.of("tempDirectory", temp.resolve("spill").toString(), "diskReserve", "0",
                        "inMemoryThreshold", "0", "minUploadRate", "1KB", "minRateWindow", "3s"), "/upload")
                .servlet("/upload", new PartsEchoServlet())
                .connector("connectionTimeout", "60000"));

        CompletableFuture<String> drip = CompletableFuture.supplyAsync(() -> dripClient(2000));
        CompletableFuture<String> silent = CompletableFuture.supplyAsync(() -> dripClient(0));
        CompletableFuture<String> chunk = CompletableFuture.supplyAsync(this::dripChunk);

        MultipartBody body = new MultipartBody().generatedFile("doc", "normal.bin", 21, 4_000_000).end();
        HttpResponse<String> normal = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ThrottledInputStream(body.stream(), 64 * 1024, 10)), body.length()))
                .build());
        assertEquals(200, normal.statusCode(), normal.body());
        assertEquals(GeneratedStream.sha256Of(21, 4_000_000),
                ((Map<?, ?>) ((List<?>) Http.json(normal).get("parts")).get(0)).get("sha256"));
        awaitUploadsInFlight(filter, 3);
        assertTrue(liveThreadNames().contains("spillway-slow-client-watchdog /"), liveThreadNames().toString());

        ticker.advance(Duration.ofSeconds(4));
        for (CompletableFuture<String> client : List.of(drip, silent, chunk)) {
            String response = client.get(30, TimeUnit.SECONDS);
            assertTrue(response.startsWith("HTTP/1.1 408"), response);
            assertTrue(response.contains("upload too slow: "), response);
            assertTrue(response.contains("minUploadRate is 1.0 KiB/s over minRateWindow 3s"), response);
        }

        awaitNoUploadInFlight(filter);
        assertEquals(0, spillFiles(), "partial files deleted");
        assertEquals(0, filter.budget().reserved());
        assertEquals(Map.of("408", 3L), filter.monitor().counters().rejectedByStatus());
    }

    /** Sends a multipart head, then one byte every {@code intervalMillis} (never, when 0); returns the answer. */
    private String dripClient(long intervalMillis) {
        return slowClient(client -> client.startMultipart("/upload", BOUNDARY, 100_000), intervalMillis, false);
    }

    /** A resumable chunk whose body drips one byte every 2 s. */
    private String dripChunk() {
        return slowClient(client -> client.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Range: bytes 0-99999/100000\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: 100000\r\n\r\nx"), 2000, true);
    }

    /** What a slow client sends first. */
    @FunctionalInterface
    private interface Head {
        void sendOn(RawClient client) throws IOException;
    }

    /**
     * Connects, sends {@code head}, then up to 30 single bytes {@code intervalMillis} apart (none
     * when 0), pausing before each byte when {@code pauseFirst} and after it otherwise; returns
     * what the server answered within 25 s.
     */
    private String slowClient(Head head, long intervalMillis, boolean pauseFirst) {
        try (RawClient client = new RawClient(server.port())) {
            head.sendOn(client);
            CompletableFuture<Void> dripping = intervalMillis == 0 ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> drip(client, intervalMillis, pauseFirst));
            String response = client.readResponse(25_000);
            dripping.cancel(true);
            return response;
        } catch (IOException e) {
            return "client failed: " + e;
        }
    }

    private static void drip(RawClient client, long intervalMillis, boolean pauseFirst) {
        try {
            for (int i = 0; i < 30; i++) {
                if (pauseFirst) {
                    Thread.sleep(intervalMillis);
                }
                client.send(new byte[] {'x'});
                if (!pauseFirst) {
                    Thread.sleep(intervalMillis);
                }
            }
        } catch (IOException | InterruptedException cutOff) {
            // the server closed the connection
        }
    }

    /** Waits until the slow uploads are all in flight, so that their rate guards have started. */
    private static void awaitUploadsInFlight(MemoryAwareUploadFilter filter, int count) {
        await("slow uploads in flight, none cut off yet").atMost(Duration.ofSeconds(60))
                .until(() -> filter.monitor().active().count() == count);
    }

    private static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }

    private static void awaitNoUploadInFlight(MemoryAwareUploadFilter filter) {
        await("threads freed").atMost(Duration.ofSeconds(60)).until(() -> filter.monitor().active().count() == 0);
    }

    private long spillFiles() throws IOException {
        try (var files = Files.list(temp.resolve("spill"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(TempStorage.FILE_PREFIX)).count();
        }
    }
}
