package io.spillway.servlet.resumable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.RecordingServlet;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IETF Resumable Uploads over real HTTP (JDK HttpClient) against {@code MemoryAwareUploadFilter}:
 * every operation of the draft, the length left unknown until the last append, the older
 * {@code Upload-Incomplete} style, and the refusals, each leaving nothing behind.
 */
class IetfResumableHttpTest {

    private static final String VERSION = "6";

    @TempDir
    static Path tempDir;
    private static ResumableServer server;
    private static final RecordingServlet APP = new RecordingServlet();

    @BeforeAll
    static void start() {
        server = ResumableServer.start(Map.of("tempDirectory", tempDir.toString(), "maxFileSize", "10MB",
                "maxRequestSize", "10MB", "diskReserve", "0"), APP);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void nothingLeftBehind() throws InterruptedException {
        APP.deliveries.clear();
        assertEquals(Map.of(), Disk.awaitEmpty(tempDir));
    }

    @Test
    void wholeFileInTheCreationRequest_isDeliveredAsOnePart() {
        byte[] file = GeneratedStream.bytes(51, 300_000);
        HttpResponse<String> done = Http.send(request("/upload").header("Upload-Complete", "?1")
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(file)).build());
        assertEquals(200, done.statusCode(), done.body());
        assertTrue(done.headers().firstValue("Location").orElse("").startsWith("/upload/"));
        assertEquals(List.of(Map.of("name", "file", "fileName", "upload", "contentType", "image/png",
                "size", 300_000L, "sha256", Disk.sha256(file, 0, file.length))), APP.deliveries.peek().get("parts"));
    }

    @Test
    void creation_offsetRetrieval_andAppends_withTheLengthKnownOnlyAtTheEnd() {
        byte[] file = GeneratedStream.bytes(52, 250_000);
        HttpResponse<String> created = Http.send(request("/upload").header("Upload-Complete", "?0")
                .header("Upload-Metadata", "filename " + b64("later.bin"))
                .header("Content-Type", "application/partial-upload")
                .POST(HttpRequest.BodyPublishers.ofByteArray(file, 0, 100_000)).build());
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("100000", header(created, "Upload-Offset"));
        assertEquals("?0", header(created, "Upload-Complete"));
        assertEquals("max-size=" + (10L << 20), header(created, "Upload-Limit"));
        assertEquals(VERSION, header(created, "Upload-Draft-Interop-Version"));
        String location = header(created, "Location");

        HttpResponse<String> head = Http.send(request(location).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(204, head.statusCode());
        assertEquals("100000", header(head, "Upload-Offset"));
        assertEquals("?0", header(head, "Upload-Complete"));
        assertEquals(null, head.headers().firstValue("Upload-Length").orElse(null), "the length is not known yet");
        assertEquals("no-store", header(head, "Cache-Control"));

        HttpResponse<String> more = Http.send(append(location, 100_000, "?0", file, 100_000, 200_000));
        assertEquals(204, more.statusCode(), more.body());
        assertEquals("200000", header(more, "Upload-Offset"));
        HttpResponse<String> done = Http.send(append(location, 200_000, "?1", file, 200_000, 250_000));
        assertEquals(200, done.statusCode(), done.body());
        assertEquals(List.of(Map.of("name", "file", "fileName", "later.bin", "contentType", "application/octet-stream",
                "size", 250_000L, "sha256", Disk.sha256(file, 0, file.length))), APP.deliveries.peek().get("parts"));

        HttpResponse<String> after = Http.send(request(location).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(204, after.statusCode());
        assertEquals("?1", header(after, "Upload-Complete"));
        assertEquals("250000", header(after, "Upload-Offset"));
    }

    @Test
    void olderInteropVersions_sayUploadIncomplete_andAreAnsweredInKind() {
        byte[] file = GeneratedStream.bytes(53, 10_000);
        HttpResponse<String> created = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Upload-Draft-Interop-Version", "3").header("Upload-Incomplete", "?1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(file, 0, 4000)).build());
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("?1", header(created, "Upload-Incomplete"));
        HttpResponse<String> done = Http.send(HttpRequest.newBuilder(server.uri(header(created, "Location")))
                .header("Upload-Draft-Interop-Version", "3").header("Upload-Incomplete", "?0")
                .header("Upload-Offset", "4000")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file, 4000, 6000)).build());
        assertEquals(200, done.statusCode(), done.body());
        assertEquals(Disk.sha256(file, 0, file.length),
                ((Map<?, ?>) ((List<?>) APP.deliveries.peek().get("parts")).get(0)).get("sha256"));
    }

    @Test
    void cancellation_deletesTheUpload_andLaterRequestsAre410() {
        HttpResponse<String> created = Http.send(request("/upload").header("Upload-Complete", "?0")
                .header("Upload-Length", "5000").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, created.statusCode());
        String location = header(created, "Location");
        assertEquals(204, Http.send(request(location).DELETE().build()).statusCode());
        assertEquals(410, Http.send(request(location).method("HEAD", HttpRequest.BodyPublishers.noBody()).build())
                .statusCode());
    }

    @Test
    void refusals_haveAStatusAndAReason_andChangeNothing() {
        HttpResponse<String> created = Http.send(request("/upload").header("Upload-Complete", "?0")
                .header("Upload-Length", "1000").POST(HttpRequest.BodyPublishers.noBody()).build());
        String location = header(created, "Location");
        byte[] bytes = new byte[1000];
        assertRefused(400, "Upload-Complete is missing", Http.send(request("/upload")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build()));
        assertRefused(400, "unsupported Upload-Draft-Interop-Version; this server speaks 3, 4, 5, 6",
                Http.send(HttpRequest.newBuilder(server.uri("/upload")).header("Upload-Draft-Interop-Version", "99")
                        .header("Upload-Complete", "?1").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build()));
        assertRefused(415, "Content-Type must be application/partial-upload", Http.send(request(location)
                .header("Upload-Offset", "0").header("Upload-Complete", "?1").header("Content-Type", "text/plain")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)).build()));
        assertRefused(409, "Upload-Offset 10 does not match the stored offset 0",
                Http.send(append(location, 10, "?0", bytes, 0, 100)));
        assertRefused(400, "this request completes the upload at 600 bytes, but its length is 1000",
                Http.send(append(location, 0, "?1", bytes, 0, 600)));
        assertRefused(413, "upload of 11 MiB exceeds maxFileSize of 10 MiB", Http.send(request("/upload")
                .header("Upload-Complete", "?0").header("Upload-Length", Long.toString(11L << 20))
                .POST(HttpRequest.BodyPublishers.noBody()).build()));
        HttpResponse<String> head = Http.send(request(location).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals("0", header(head, "Upload-Offset"), "no refusal stored a byte");
        assertEquals(204, Http.send(request(location).DELETE().build()).statusCode());
    }

    private static void assertRefused(int status, String reason, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(reason, response.body().strip());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.uri(path)).header("Upload-Draft-Interop-Version", VERSION);
    }

    private static HttpRequest append(String location, long offset, String complete, byte[] file, int from, int to) {
        return request(location).header("Upload-Offset", Long.toString(offset)).header("Upload-Complete", complete)
                .header("Content-Type", "application/partial-upload")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(file, from, to))).build();
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static String b64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
