package io.spillway.servlet.resumable;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.memory.MemorySnapshot;
import io.spillway.servlet.MemoryAwareUploadFilter;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.RawClient;
import io.spillway.servlet.testing.RecordingServlet;
import io.spillway.servlet.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission by count covers resumable requests: with 10 MiB of memory available and
 * {@code memoryPerUpload=4MB}, one tus PATCH in flight fits within half of it and a second does
 * not, so the second gets 503 with Retry-After before its body is read, while a HEAD (no body)
 * is still answered. Once the first is done, the refused PATCH is admitted and completes.
 */
class ResumableAdmissionTest {

    private static final int SIZE = 300_000;
    private static final long MIB = 1 << 20;

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
    void aPatchBeyondWhatMemoryHolds_gets503WithRetryAfter_andIsAdmittedOnceTheOtherIsDone() throws Exception {
        MemorySnapshot tenMib = new MemorySnapshot(0, 10 * MIB, 16 * 1024 * MIB, 8 * 1024 * MIB,
                MemorySnapshot.NO_LIMIT, MemorySnapshot.NO_LIMIT, Instant.now());
        MemoryAwareUploadFilter filter = new MemoryAwareUploadFilter(() -> tenMib, Clock.systemUTC());
        server = TestServer.builder()
                .filter(filter, Map.of("tempDirectory", temp.resolve("spill").toString(), "diskReserve", "0",
                        "memoryPerUpload", "4MB", "retryAfter", "7s", "probeInterval", "1h"), "/upload", "/upload/*")
                .servlet("/upload/*", new RecordingServlet())
                .start();
        String firstPath = create();
        String secondPath = create();
        byte[] file = GeneratedStream.bytes(5, SIZE);

        try (RawClient first = new RawClient(server.port())) {
            first.send(patchHead(firstPath));
            first.send(Arrays.copyOf(file, SIZE / 2));
            await().atMost(20, SECONDS).until(() -> filter.monitor().active().count() == 1);

            HttpResponse<String> refused = patch(secondPath, file);
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("7", refused.headers().firstValue("Retry-After").orElse(""));
            assertTrue(refused.body().contains("too many uploads in flight: 2 at memoryPerUpload 4.0 MiB"),
                    refused.body());
            assertEquals(200, head(secondPath).statusCode());

            first.send(Arrays.copyOfRange(file, SIZE / 2, SIZE));
            String done = first.readResponse(20_000);
            assertTrue(done.startsWith("HTTP/1.1 200"), done);
        }
        await().atMost(20, SECONDS).until(() -> filter.monitor().active().count() == 0);
        HttpResponse<String> admitted = patch(secondPath, file);
        assertEquals(200, admitted.statusCode(), admitted.body());
        assertTrue(admitted.body().contains(GeneratedStream.sha256Of(5, SIZE)), admitted.body());
    }

    private String create() {
        HttpResponse<String> created = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", Integer.toString(SIZE))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, created.statusCode(), created.body());
        return URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
    }

    private static String patchHead(String path) {
        return "PATCH " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
                + "Content-Type: application/offset+octet-stream\r\nContent-Length: " + SIZE + "\r\n\r\n";
    }

    private HttpResponse<String> patch(String path, byte[] file) {
        return Http.send(HttpRequest.newBuilder(server.uri(path)).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file)).build());
    }

    private HttpResponse<String> head(String path) {
        return Http.send(HttpRequest.newBuilder(server.uri(path)).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }
}
