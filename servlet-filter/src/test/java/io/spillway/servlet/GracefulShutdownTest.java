package io.spillway.servlet;

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
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code destroy()} with uploads in flight: one that finishes within {@code shutdownTimeout}
 * completes normally, one that stalls is aborted with 503 once the timeout passes; afterwards no
 * file of Spillway's is left in the temp directory except the resumable uploads' own folder.
 */
class GracefulShutdownTest {

    private static final String BOUNDARY = "shutdown-boundary-42";
    private static final int FILE_SIZE = 2_000_000;

    @TempDir
    Path temp;

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void destroy_waitsForUploadsInFlight_thenAbortsTheRest_andCleansUp() throws Exception {
        Path spill = temp.resolve("spill");
        MemoryAwareUploadFilter filter = new MemoryAwareUploadFilter();
        server = TestServer.builder()
                .filter(filter, Map.of("tempDirectory", spill.toString(), "diskReserve", "0", "inMemoryThreshold", "0",
                        "minUploadRate", "0", "shutdownTimeout", "3s"), "/upload")
                .servlet("/upload", new PartsEchoServlet())
                .connector("connectionTimeout", "60000")
                .start();
        Path resumable = Files.createDirectories(spill.resolve("resumable").resolve("abc"));
        Files.write(resumable.resolve("data"), new byte[10]);

        byte[] file = GeneratedStream.bytes(31, FILE_SIZE);
        long length = RawClient.multipartPrefixLength(BOUNDARY) + FILE_SIZE + RawClient.multipartSuffix(BOUNDARY).length();
        try (RawClient finishing = new RawClient(server.port()); RawClient stalled = new RawClient(server.port())) {
            finishing.startMultipart("/upload", BOUNDARY, length).send(java.util.Arrays.copyOf(file, FILE_SIZE / 2));
            stalled.startMultipart("/upload", BOUNDARY, length).send(java.util.Arrays.copyOf(file, FILE_SIZE / 2));
            awaitInFlight(filter, 2);
            awaitSpillFiles(spill, 2);

            long started = System.nanoTime();
            CompletableFuture<Void> destroy = CompletableFuture.runAsync(filter::destroy);
            Thread.sleep(300);
            assertFalse(destroy.isDone(), "destroy waits for the uploads in flight");
            finishing.send(java.util.Arrays.copyOfRange(file, FILE_SIZE / 2, FILE_SIZE));
            finishing.send(RawClient.multipartSuffix(BOUNDARY));
            String completed = finishing.readResponse(20_000);
            assertTrue(completed.startsWith("HTTP/1.1 200"), completed);
            assertTrue(completed.contains(GeneratedStream.sha256Of(31, FILE_SIZE)), completed);

            HttpResponse<String> refused = Http.post(server.uri("/upload"), new MultipartBody().field("a", "b").end());
            assertEquals(503, refused.statusCode(), "no new uploads once shutting down");
            assertEquals("server is shutting down\n", refused.body());

            String aborted = stalled.readResponse(20_000);
            assertTrue(aborted.startsWith("HTTP/1.1 503"), aborted);
            assertTrue(aborted.endsWith("server is shutting down\n"), aborted);
            destroy.get(20, TimeUnit.SECONDS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(tookMillis >= 3000, "waited the shutdownTimeout: " + tookMillis + " ms");
        }
        assertEquals(0, filter.monitor().active().count());
        assertEquals(0, spillFiles(spill), "no part file left");
        assertTrue(Files.exists(resumable.resolve("data")), "resumable uploads survive");
    }

    private static void awaitInFlight(MemoryAwareUploadFilter filter, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (filter.monitor().active().count() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(count, filter.monitor().active().count());
    }

    private static void awaitSpillFiles(Path spill, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (spillFiles(spill) < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(count, spillFiles(spill), "both uploads are writing to disk");
    }

    private static long spillFiles(Path spill) throws java.io.IOException {
        try (Stream<Path> files = Files.list(spill)) {
            return files.filter(p -> p.getFileName().toString().startsWith(TempStorage.FILE_PREFIX)).count();
        }
    }
}
