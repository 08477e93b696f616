package io.spillway.servlet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.storage.TempStorage;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MultipartBody;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.RawClient;
import io.spillway.servlet.testing.TestServer;
import io.spillway.servlet.testing.TestServers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code destroy()} with uploads in flight: one that finishes within {@code shutdownTimeout}
 * completes normally; a multipart upload and a resumable chunk that stall are aborted with 503 once
 * the timeout passes. Afterwards no file of Spillway's is left in the temp directory except the
 * resumable upload's stored bytes, which survive for a restart (its staging area is empty).
 */
class GracefulShutdownTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String BOUNDARY = "shutdown-boundary-42";
    private static final int FILE_SIZE = 2_000_000;
    /** What the finishing upload still sends once destroy() runs: little, so it completes well within the timeout. */
    private static final int LAST_BYTES = 1000;

    @TempDir
    Path temp;

    @RegisterExtension
    final TestServers servers = new TestServers();

    @Test
    void destroy_waitsForUploadsInFlight_thenAbortsTheRest_andCleansUp() throws Exception {
        Path spill = temp.resolve("spill");
        MemoryAwareUploadFilter filter = new MemoryAwareUploadFilter();
        TestServer server = servers.start(TestServer.builder()
                .filter(filter, Map.of("tempDirectory", spill.toString(), "diskReserve", "0", "inMemoryThreshold", "0",
                        "minUploadRate", "0", "shutdownTimeout", "3s"), "/upload")
                .servlet("/upload", new PartsEchoServlet())
                .connector("connectionTimeout", "60000"));
        byte[] file = GeneratedStream.bytes(31, FILE_SIZE);
        HttpResponse<String> firstChunk = Http.send(java.net.http.HttpRequest.newBuilder(server.uri("/upload"))
                .header("Content-Range", "bytes 0-" + (FILE_SIZE / 2 - 1) + "/" + FILE_SIZE)
                .header("Content-Type", "application/octet-stream")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(java.util.Arrays.copyOf(file, FILE_SIZE / 2)))
                .build());
        assertEquals(200, firstChunk.statusCode(), firstChunk.body());
        String uploadId = firstChunk.headers().firstValue("Upload-Id").orElseThrow();

        long length = RawClient.multipartPrefixLength(BOUNDARY) + FILE_SIZE + RawClient.multipartSuffix(BOUNDARY).length();
        try (RawClient finishing = new RawClient(server.port()); RawClient stalled = new RawClient(server.port());
             RawClient stalledChunk = new RawClient(server.port())) {
            finishing.startMultipart("/upload", BOUNDARY, length).send(java.util.Arrays.copyOf(file, FILE_SIZE / 2));
            stalled.startMultipart("/upload", BOUNDARY, length).send(java.util.Arrays.copyOf(file, FILE_SIZE / 2));
            awaitSpillFiles(spill, 2);
            stalledChunk.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nUpload-Id: " + uploadId
                    + "\r\nContent-Range: bytes " + FILE_SIZE / 2 + "-" + (FILE_SIZE - 1) + "/" + FILE_SIZE
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + (FILE_SIZE - FILE_SIZE / 2)
                    + "\r\n\r\n");
            stalledChunk.send(java.util.Arrays.copyOfRange(file, FILE_SIZE / 2, FILE_SIZE / 2 + 1000));
            finishing.send(java.util.Arrays.copyOfRange(file, FILE_SIZE / 2, FILE_SIZE - LAST_BYTES));
            awaitInFlight(filter, 3);

            long started = System.nanoTime();
            CompletableFuture<Void> destroy = CompletableFuture.runAsync(filter::destroy);
            awaitShuttingDown(filter);
            assertFalse(destroy.isDone(), "destroy waits for the uploads in flight");
            finishing.send(java.util.Arrays.copyOfRange(file, FILE_SIZE - LAST_BYTES, FILE_SIZE));
            finishing.send(RawClient.multipartSuffix(BOUNDARY));
            String completed = finishing.readResponse(20_000);
            assertTrue(completed.startsWith("HTTP/1.1 200"), completed);
            assertTrue(completed.contains(GeneratedStream.sha256Of(31, FILE_SIZE)), completed);

            HttpResponse<String> refused = Http.post(server.uri("/upload"), new MultipartBody().field("a", "b").end());
            assertEquals(503, refused.statusCode(), "no new uploads once shutting down");
            assertEquals("server is shutting down\n", refused.body());

            for (RawClient client : java.util.List.of(stalled, stalledChunk)) {
                String aborted = client.readResponse(20_000);
                assertTrue(aborted.startsWith("HTTP/1.1 503"), aborted);
                assertTrue(aborted.endsWith("server is shutting down\n"), aborted);
            }
            destroy.get(20, TimeUnit.SECONDS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(tookMillis >= 3000, "waited the shutdownTimeout: " + tookMillis + " ms");
        }
        awaitInFlight(filter, 0);
        assertEquals(0, spillFiles(spill), "no part file left");
        Path resumable = spill.resolve("resumable");
        assertEquals(0, regularFiles(resumable.resolve("staging")), "no staged chunk left");
        assertTrue(regularFiles(resumable) > 0, "the resumable upload survives for a restart");
    }

    /** Waits until {@code destroy()} has begun: it refuses new uploads from then on. */
    private static void awaitShuttingDown(MemoryAwareUploadFilter filter) {
        await("destroy has begun").atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(() -> !filter.isRunning());
    }

    private static void awaitInFlight(MemoryAwareUploadFilter filter, int count) {
        await(count + " uploads in flight").atMost(PATIENCE).until(() -> filter.monitor().active().count() == count);
    }

    private static void awaitSpillFiles(Path spill, int count) throws java.io.IOException {

        await("both uploads are writing to disk").atMost(PATIENCE).until(() -> spillFiles(spill) >= count);
        assertEquals(count, spillFiles(spill), "both uploads are writing to disk");
    }


    private static long regularFiles(Path directory) throws java.io.IOException {
        if (!Files.exists(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static long spillFiles(Path spill) throws java.io.IOException {
        try (Stream<Path> files = Files.list(spill)) {
            return files.filter(p -> p.getFileName().toString().startsWith(TempStorage.FILE_PREFIX)).count();
        }
    }
}
