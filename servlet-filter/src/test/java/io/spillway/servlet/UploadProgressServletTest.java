package io.spillway.servlet;

import static io.spillway.servlet.testing.MemoryReadings.GIB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.core.memory.MemorySnapshot;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MemoryReadings;
import io.spillway.servlet.testing.MultipartBody;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.RawHttpClient;
import io.spillway.servlet.testing.TestServer;
import io.spillway.servlet.testing.TestServers;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Progress over real HTTP: polled while an upload runs, then done or failed, with the ids a browser picks. */
class UploadProgressServletTest {

    @TempDir
    Path temp;

    @RegisterExtension
    final TestServers servers = new TestServers();

    private TestServer server;

    private void start(Map<String, String> params) {
        Map<String, String> all = new HashMap<>(Map.of("tempDirectory", temp.resolve("spill").toString(),
                "inMemoryThreshold", "1MB", "diskReserve", "0"));
        all.putAll(params);
        MemorySnapshot memory = MemoryReadings.heap(GIB / 2, GIB);
        server = servers.start(TestServer.builder()
                .filter(new MemoryAwareUploadFilter(() -> memory, Clock.systemUTC()), all, "/upload/*", "/upload")
                .servlet("/upload/*", new PartsEchoServlet())
                .servlet("/spillway/progress", new UploadProgressServlet()));
    }

    private HttpResponse<String> progress(String id) {
        return Http.send(HttpRequest.newBuilder(server.uri("/spillway/progress?id=" + id)).GET().build());
    }

    @Test
    void progressPolledDuringAnUpload_movesMonotonically_andEndsAtTheTotal() throws Exception {
        start(Map.of());
        MultipartBody body = new MultipartBody().generatedFile("doc", "big.bin", 11, 6_000_000).end();
        assertEquals(404, progress("browser-1").statusCode(), "nothing before the upload starts");
        List<Map<String, Object>> polls = new ArrayList<>();
        RawHttpClient.Response response;
        try (RawHttpClient client = RawHttpClient.connect(server.port()); InputStream content = body.stream()) {
            client.write(RawHttpClient.request("POST", "/upload").header("X-Progress-Id", "browser-1").body(body)
                    .head());
            long sent = 0;
            long seen = 0;
            for (int quarter = 1; quarter <= 3; quarter++) {
                long upTo = quarter * body.length() / 4;
                client.write(content.readNBytes((int) (upTo - sent)));
                sent = upTo;
                seen = awaitReceivedAbove(seen, polls);
            }
            client.write(content.readAllBytes());
            response = client.readResponse();
        }
        assertEquals(200, response.status(), response.toString());
        assertEquals("browser-1", response.header("X-Progress-Id"));
        assertEquals(GeneratedStream.sha256Of(11, 6_000_000),
                ((Map<?, ?>) ((List<?>) Json.parseObject(response.text()).get("parts")).get(0)).get("sha256"));

        long previous = -1;
        List<Long> midway = new ArrayList<>();
        boolean sawSpeedAndEta = false;
        for (Map<String, Object> poll : polls) {
            long received = (Long) poll.get("bytesReceived");
            assertTrue(received >= previous, "monotonic: " + received + " after " + previous);
            previous = received;
            assertEquals(body.length(), poll.get("totalBytes"));
            if ("receiving".equals(poll.get("state")) && received > 0 && received < body.length()) {
                midway.add(received);
                assertEquals("STREAMED", poll.get("route"));
                sawSpeedAndEta |= (Long) poll.get("bytesPerSecond") > 0 && poll.get("etaSeconds") != null;
            }
        }
        assertTrue(midway.stream().distinct().count() >= 3, "seen moving: " + midway);
        assertTrue(sawSpeedAndEta, "speed and eta while receiving");

        Map<String, Object> done = Http.json(progress("browser-1"));
        assertEquals("done", done.get("state"));
        assertEquals(body.length(), done.get("bytesReceived"));
        assertEquals(body.length(), done.get("totalBytes"));
        assertEquals(0L, done.get("etaSeconds"));
    }

    /**
     * Polls the progress of {@code browser-1}, keeping every answer, until more than {@code floor}
     * bytes were received (the client sends no more meanwhile, so the upload is caught mid-body
     * however fast the machine); returns the bytes received then.
     */
    private long awaitReceivedAbove(long floor, List<Map<String, Object>> polls) {
        return await("more than " + floor + " bytes received").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10)).until(() -> received(polls), received -> received > floor);
    }

    /** One poll of the progress of {@code browser-1}, kept in {@code polls}: the bytes received, or -1. */
    private long received(List<Map<String, Object>> polls) {
        HttpResponse<String> poll = progress("browser-1");
        if (poll.statusCode() != 200) {
            return -1;
        }
        Map<String, Object> json = Http.json(poll);
        polls.add(json);
        return (Long) json.get("bytesReceived");
    }


    @Test
    void queryParameter_picksTheId_forUnknownLengthToo() {
        start(Map.of());
        MultipartBody body = new MultipartBody().field("a", "1").generatedFile("doc", "c.bin", 12, 300_000).end();
        HttpResponse<String> response = Http.postChunked(server.uri("/upload?progressId=q_2"), body);
        assertEquals(200, response.statusCode());
        assertEquals("q_2", response.headers().firstValue("X-Progress-Id").orElse(null));
        Map<String, Object> done = Http.json(progress("q_2"));
        assertEquals("done", done.get("state"));
        assertEquals(body.length(), done.get("bytesReceived"));
        assertEquals(body.length(), done.get("totalBytes"), "the unknown total becomes the bytes received");
        assertEquals("BUFFERED", done.get("route"));
    }

    @Test
    void invalidId_isIgnored_andTheServerPicksOne() {
        start(Map.of());
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Content-Type", new MultipartBody().contentType())
                .header("X-Progress-Id", "../../etc/passwd")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new MultipartBody().field("a", "b").end().bytes()))
                .build());
        assertEquals(200, response.statusCode());
        String id = response.headers().firstValue("X-Progress-Id").orElseThrow();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals("done", Http.json(progress(id)).get("state"));
    }

    @Test
    void rejectedUpload_reportsFailedWithStatusAndReason() {
        start(Map.of("maxFileSize", "1MB"));
        HttpResponse<String> response = Http.postChunked(server.uri("/upload?progressId=too-big"),
                new MultipartBody().generatedFile("doc", "big.bin", 13, 3_000_000).end());
        assertEquals(413, response.statusCode());
        Map<String, Object> failed = Http.json(progress("too-big"));
        assertEquals("failed", failed.get("state"));
        assertEquals(413L, failed.get("status"));
        assertEquals("file in part 'doc' exceeds maxFileSize 1.0 MiB", failed.get("reason"));
        assertNotNull(failed.get("bytesReceived"));
    }

    @Test
    void progressServlet_answers400ForAMalformedId_and404ForAnUnknownOne() {
        start(Map.of());
        HttpResponse<String> malformed = progress("a%20b");
        assertEquals(400, malformed.statusCode());
        assertEquals("id must be 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'", Http.json(malformed).get("error"));
        assertEquals(400, Http.send(HttpRequest.newBuilder(server.uri("/spillway/progress")).GET().build()).statusCode());
        HttpResponse<String> unknown = progress("nobody");
        assertEquals(404, unknown.statusCode());
        assertEquals("no-store", unknown.headers().firstValue("Cache-Control").orElse(null));
    }
}
