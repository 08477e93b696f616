package io.spillway.servlet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.servlet.testing.ContentRangeSlices;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.RawHttpClient;
import io.spillway.servlet.testing.TestServer;
import io.spillway.servlet.testing.TestServers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress of resumable uploads through the real protocols: the upload id is the progress id, the
 * entry lives across chunks with the bytes stored so far, a chunk's bytes count while they arrive,
 * and the request that completes the upload ends it as done.
 */
class ResumableProgressTest {

    private static final int TOTAL = 900_000;

    @TempDir
    Path temp;

    @RegisterExtension
    final TestServers servers = new TestServers();

    private TestServer server;
    private final byte[] file = GeneratedStream.bytes(61, TOTAL);

    @BeforeEach
    void start() {
        server = servers.start(TestServer.builder()
                .filter(new MemoryAwareUploadFilter(), Map.of("tempDirectory", temp.resolve("spill").toString(),
                        "diskReserve", "0"), "/upload/*", "/upload")
                .servlet("/upload/*", new PartsEchoServlet())
                .servlet("/spillway/progress", new UploadProgressServlet()));
    }

    @Test
    void contentRangeChunks_reportProgressUnderTheUploadId() throws Exception {
        HttpResponse<String> first = rangeChunk(null, 0, TOTAL / 3);
        assertEquals(200, first.statusCode(), first.body());
        String id = first.headers().firstValue("Upload-Id").orElseThrow();
        Map<String, Object> paused = progress(id);
        assertEquals("receiving", paused.get("state"));
        assertEquals((long) TOTAL / 3, paused.get("bytesReceived"));
        assertEquals((long) TOTAL, paused.get("totalBytes"));

        List<Long> seen = new ArrayList<>();
        try (RawHttpClient client = RawHttpClient.connect(server.port())) {
            int from = TOTAL / 3;
            int to = 2 * TOTAL / 3;
            int half = (to - from) / 2;
            client.write(RawHttpClient.request("POST", "/upload").header("Upload-Id", id)
                    .header("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + TOTAL)
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Disposition", "attachment; filename=\"big.bin\"")
                    .body(Arrays.copyOfRange(file, from, to)).head());
            client.write(file, from, half);
            await("bytes of the chunk counted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> seen.add((Long) progress(id).get("bytesReceived")) && seen.get(seen.size() - 1) > from);

            client.write(file, from + half, to - from - half);
            RawHttpClient.Response second = client.readResponse();
            assertEquals(200, second.status(), second.toString());
        }
        assertTrue(seen.stream().anyMatch(b -> b > TOTAL / 3 && b < 2 * TOTAL / 3),
                "bytes counted while the chunk arrives (its second half waited until they were seen): " + seen);
        assertEquals((long) 2 * TOTAL / 3, progress(id).get("bytesReceived"));

        HttpResponse<String> last = rangeChunk(id, 2 * TOTAL / 3, TOTAL);
        assertEquals(200, last.statusCode(), last.body());
        assertEquals(GeneratedStream.sha256Of(61, TOTAL),
                ((Map<?, ?>) ((List<?>) Http.json(last).get("parts")).get(0)).get("sha256"));
        Map<String, Object> done = progress(id);
        assertEquals("done", done.get("state"));
        assertEquals((long) TOTAL, done.get("bytesReceived"));
        assertEquals(0L, done.get("etaSeconds"));
    }

    @Test
    void tusUpload_reportsProgressFromCreationToCompletion() {
        HttpResponse<String> created = Http.send(HttpRequest.newBuilder(server.uri("/upload/"))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", Integer.toString(TOTAL))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        Map<String, Object> fresh = progress(id);
        assertEquals("receiving", fresh.get("state"));
        assertEquals(0L, fresh.get("bytesReceived"));
        assertEquals((long) TOTAL, fresh.get("totalBytes"));

        assertEquals(204, tusPatch(location, 0, TOTAL / 2).statusCode());
        assertEquals((long) TOTAL / 2, progress(id).get("bytesReceived"));

        HttpResponse<String> last = tusPatch(location, TOTAL / 2, TOTAL);
        assertEquals(200, last.statusCode(), last.body());
        Map<String, Object> done = progress(id);
        assertEquals("done", done.get("state"));
        assertEquals((long) TOTAL, done.get("bytesReceived"));
    }

    private HttpResponse<String> rangeChunk(String id, int from, int to) {
        return new ContentRangeSlices(server.uri("/upload"), "POST", "big.bin", file).send(id, from, to);
    }

    private HttpResponse<String> tusPatch(String location, int from, int to) {
        return Http.send(HttpRequest.newBuilder(server.uri(location.replaceFirst("^https?://[^/]+", "")))
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", Integer.toString(from))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(file, from, to))).build());
    }

    private Map<String, Object> progress(String id) {
        return Http.json(Http.send(HttpRequest.newBuilder(server.uri("/spillway/progress?id=" + id)).GET().build()));
    }
}
