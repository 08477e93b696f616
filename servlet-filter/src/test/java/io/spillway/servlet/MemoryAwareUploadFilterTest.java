package io.spillway.servlet;

import static io.spillway.servlet.testing.MemoryReadings.GIB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.memory.MemoryBudget;
import io.spillway.core.memory.MemorySnapshot;
import io.spillway.core.storage.TempStorage;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MemoryReadings;
import io.spillway.servlet.testing.MultipartBody;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.TestServer;
import io.spillway.servlet.testing.TestServers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The filter over real HTTP in an embedded Tomcat: routes, the Part API, errors and cleanup. */
class MemoryAwareUploadFilterTest {

    @TempDir
    Path temp;

    @RegisterExtension
    final TestServers servers = new TestServers();

    private TestServer server;
    private final AtomicReference<MemorySnapshot> memory = new AtomicReference<>(MemoryReadings.heap(GIB / 2, GIB));

    private MemoryAwareUploadFilter start(Map<String, String> params) {
        return start(params, new PartsEchoServlet());
    }

    /**
     * Starts the filter with a fake memory reading that changes only when a test calls
     * {@code refreshNow()}: with a long probeInterval no background refresh can read the old value
     * and land after it.
     */
    private MemoryAwareUploadFilter start(Map<String, String> params, PartsEchoServlet app) {
        Map<String, String> all = new HashMap<>(Map.of("tempDirectory", temp.resolve("spill").toString(),
                "inMemoryThreshold", "1MB", "diskReserve", "0", "probeInterval", "1h"));
        all.putAll(params);
        MemoryAwareUploadFilter filter = new MemoryAwareUploadFilter(memory::get, Clock.systemUTC());
        server = servers.start(TestServer.builder().filter(filter, all, "/upload/*", "/upload")
                .servlet("/upload/*", app).servlet("/plain", new PartsEchoServlet()));
        return filter;
    }

    private long tempFiles() throws IOException {
        try (var files = Files.list(temp.resolve("spill"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(TempStorage.FILE_PREFIX)).count();
        }
    }

    @Test
    void smallFileIsBuffered_largeFileIsStreamed_underTheSameSettings() throws Exception {
        start(Map.of());
        byte[] small = GeneratedStream.bytes(1, 100_000);
        HttpResponse<String> buffered = Http.post(server.uri("/upload"),
                new MultipartBody().field("title", "hello").file("doc", "small.bin", small).end());
        assertEquals(200, buffered.statusCode(), buffered.body());
        Map<String, Object> b = Http.json(buffered);
        assertEquals("BUFFERED", b.get("route"));
        assertEquals(GeneratedStream.sha256Of(1, 100_000), part(b, 1).get("sha256"));
        assertEquals("null", ((Map<?, ?>) ((List<?>) b.get("files")).get(0)).get("path"));

        HttpResponse<String> streamed = Http.post(server.uri("/upload"),
                new MultipartBody().generatedFile("doc", "large.bin", 2, 5_000_000).end());
        assertEquals(200, streamed.statusCode(), streamed.body());
        Map<String, Object> s = Http.json(streamed);
        assertEquals("STREAMED", s.get("route"));
        assertTrue(String.valueOf(s.get("reason")).contains("> inMemoryThreshold 1.0 MiB"), s.get("reason").toString());
        assertEquals(GeneratedStream.sha256Of(2, 5_000_000), part(s, 0).get("sha256"));
        // Tomcat sends the response once its Content-Length is written, before the filter's cleanup
        awaitUntil(() -> tempFiles() == 0);
    }

    @Test
    void sameSmallFileStreams_whenTheBudgetIsTaken() throws IOException {
        MemoryAwareUploadFilter filter = start(Map.of());
        MemoryBudget budget = filter.budget();
        try (MemoryBudget.Reservation hog = budget.tryReserve(GIB / 4 - 10_000, GIB / 4).orElseThrow()) {
            HttpResponse<String> response = Http.post(server.uri("/upload"),
                    new MultipartBody().file("doc", "small.bin", GeneratedStream.bytes(3, 100_000)).end());
            Map<String, Object> json = Http.json(response);
            assertEquals("STREAMED", json.get("route"));
            assertTrue(json.get("reason").toString().startsWith("memory budget exhausted"), json.get("reason").toString());
            assertEquals(GeneratedStream.sha256Of(3, 100_000), part(json, 0).get("sha256"));
        }
        assertEquals(0, budget.reserved());
    }

    @Test
    void criticalHeap_streamsEverything() {
        MemoryAwareUploadFilter filter = start(Map.of());
        memory.set(MemoryReadings.heap(GIB * 95 / 100, GIB));
        filter.probe().refreshNow();
        Map<String, Object> json = Http.json(Http.post(server.uri("/upload"),
                new MultipartBody().file("doc", "tiny.txt", new byte[10]).end()));
        assertEquals("STREAMED", json.get("route"));
        assertTrue(json.get("reason").toString().startsWith("heap at 95% > criticalHeapRatio 90%"));
    }

    @Test
    void chunkedTransferEncoding_spillsOnceItOutgrowsItsAllowance() {
        start(Map.of("unknownLengthBuffer", "64KB"));
        HttpResponse<String> response = Http.postChunked(server.uri("/upload"),
                new MultipartBody().field("a", "1").generatedFile("doc", "big.bin", 4, 3_000_000).end());
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> json = Http.json(response);
        assertEquals("BUFFERED", json.get("route"));
        assertTrue(json.get("reason").toString().startsWith("unknown length"));
        assertEquals(GeneratedStream.sha256Of(4, 3_000_000), part(json, 1).get("sha256"));
        assertTrue(((Map<?, ?>) ((List<?>) json.get("files")).get(0)).get("path").toString().contains("spw-"),
                "spilled to a temp file");
    }

    @Test
    void parameters_mergeQueryStringAndFormFields_inUtf8() {
        start(Map.of());
        Map<String, Object> json = Http.json(Http.post(server.uri("/upload?q=1&title=fromQuery"),
                new MultipartBody().field("title", "Grüße").field("tag", "a").field("tag", "b")
                        .file("doc", "x.txt", "hi".getBytes()).end()));
        Map<?, ?> params = (Map<?, ?>) json.get("parameters");
        assertEquals(List.of("1"), params.get("q"));
        assertEquals(List.of("fromQuery", "Grüße"), params.get("title"));
        assertEquals(List.of("a", "b"), params.get("tag"));
        assertFalse(params.containsKey("doc"), "file parts are not parameters");
    }

    @Test
    void partWrite_movesTheFileOut_andPartDelete_removesIt() throws IOException {
        Path kept = temp.resolve("kept.bin");
        AtomicReference<Boolean> deletedGone = new AtomicReference<>();
        start(Map.of(), new PartsEchoServlet() {
            @Override
            protected void afterParts(HttpServletRequest request) throws IOException {
                try {
                    request.getPart("keep").write(kept.toString());
                    Part drop = request.getPart("drop");
                    drop.delete();
                    try {
                        drop.getInputStream();
                        deletedGone.set(false);
                    } catch (IOException expected) {
                        deletedGone.set(true);
                    }
                } catch (jakarta.servlet.ServletException e) {
                    throw new IOException(e);
                }
            }
        });
        HttpResponse<String> response = Http.post(server.uri("/upload"), new MultipartBody()
                .generatedFile("keep", "keep.bin", 5, 2_000_000).generatedFile("drop", "drop.bin", 6, 2_000_000).end());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(GeneratedStream.sha256Of(5, 2_000_000), sha256(kept));
        assertTrue(deletedGone.get());
        assertEquals(0, tempFiles());
    }

    @Test
    void nonUploads_passThroughUntouched() {
        start(Map.of());
        HttpResponse<String> get = Http.send(HttpRequest.newBuilder(server.uri("/upload?x=1")).GET().build());
        assertEquals(200, get.statusCode());
        assertNull(Http.json(get).get("route"));
        HttpResponse<String> form = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=b")).build());
        assertEquals(List.of("b"), ((Map<?, ?>) Http.json(form).get("parameters")).get("a"));
    }

    @Test
    void declaredLengthOverMaxRequestSize_is413_beforeTheBodyIsRead() throws IOException {
        start(Map.of("maxRequestSize", "1MB", "maxFileSize", "1MB"));
        HttpResponse<String> response = Http.post(server.uri("/upload"),
                new MultipartBody().generatedFile("doc", "big.bin", 7, 3_000_000).end());
        assertEquals(413, response.statusCode());
        assertTrue(response.body().startsWith("request body of 2.9 MiB exceeds maxRequestSize 1.0 MiB"), response.body());
        assertEquals(0, tempFiles());
    }

    @Test
    void realBytesOverMaxFileSize_is413_andLeavesNothing() throws IOException {
        start(Map.of("maxFileSize", "1MB"));
        HttpResponse<String> response = Http.postChunked(server.uri("/upload"),
                new MultipartBody().generatedFile("doc", "big.bin", 8, 3_000_000).end());
        assertEquals(413, response.statusCode());
        assertEquals("file in part 'doc' exceeds maxFileSize 1.0 MiB\n", response.body());
        assertEquals(0, tempFiles());
    }

    @Test
    void tooManyParts_is413() {
        start(Map.of("maxParts", "5"));
        MultipartBody body = new MultipartBody();
        for (int i = 0; i < 6; i++) {
            body.field("f" + i, "v");
        }
        HttpResponse<String> response = Http.post(server.uri("/upload"), body.end());
        assertEquals(413, response.statusCode());
        assertEquals("more than maxParts 5 parts\n", response.body());
    }

    @Test
    void fieldOverMaxFieldSize_is413() {
        start(Map.of("maxFieldSize", "1KB"));
        HttpResponse<String> response = Http.post(server.uri("/upload"), new MultipartBody().field("big", "x".repeat(2000)).end());
        assertEquals(413, response.statusCode());
        assertEquals("field 'big' exceeds maxFieldSize 1.0 KiB\n", response.body());
    }

    @Test
    void missingBoundary_is400_unsupportedType_is415_jsonWhenAsked() {
        start(Map.of());
        HttpResponse<String> noBoundary = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Content-Type", "multipart/form-data").POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(400, noBoundary.statusCode());
        assertEquals("multipart request without a valid boundary\n", noBoundary.body());
        HttpResponse<String> related = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Content-Type", "multipart/related; boundary=abc").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(415, related.statusCode());
        assertEquals(Map.of("status", 415L, "error", "unsupported multipart type; send multipart/form-data"),
                Http.json(related));
    }

    @Test
    void truncatedBody_is400_andLeavesNothing() throws IOException {
        start(Map.of());
        MultipartBody body = new MultipartBody().generatedFile("doc", "cut.bin", 9, 2_000_000);
        HttpResponse<String> response = Http.post(server.uri("/upload"), body);
        assertEquals(400, response.statusCode());
        assertEquals(0, tempFiles());
    }

    @Test
    void notEnoughDisk_is507_andMemoryCriticalToo_is503WithRetryAfter() {
        MemoryAwareUploadFilter filter = start(Map.of("diskReserve", "1000000GB"));
        HttpResponse<String> full = Http.post(server.uri("/upload"),
                new MultipartBody().generatedFile("doc", "big.bin", 10, 2_000_000).end());
        assertEquals(507, full.statusCode());
        assertTrue(full.body().startsWith("not enough disk space"), full.body());
        HttpResponse<String> small = Http.post(server.uri("/upload"), new MultipartBody().file("doc", "s.txt", new byte[100]).end());
        assertEquals(200, small.statusCode(), "a buffered upload needs no disk");
        memory.set(MemoryReadings.heap(GIB * 95 / 100, GIB));
        filter.probe().refreshNow();
        HttpResponse<String> critical = Http.post(server.uri("/upload"), new MultipartBody().file("doc", "s.txt", new byte[100]).end());
        assertEquals(503, critical.statusCode());
        assertEquals("5", critical.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    void badInitParameters_failStartup_listingEveryProblem() {
        MemoryAwareUploadFilter filter = new MemoryAwareUploadFilter();
        jakarta.servlet.ServletException error = org.junit.jupiter.api.Assertions.assertThrows(
                jakarta.servlet.ServletException.class, () -> filter.init(new SimpleFilterConfig(Map.of(
                        "maxFileSize", "ten", "memoryFraction", "2", "colour", "blue"))));
        String message = error.getMessage();
        assertTrue(message.contains("maxFileSize value was set to 'ten', which is not valid; example: maxFileSize=4GB"), message);
        assertTrue(message.contains("memoryFraction must be greater than 0 and at most 1: '2'"), message);
        assertTrue(message.contains("unknown parameter colour"), message);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void clientAbortMidBody_deletesThePartialFile_andReleasesTheReservation(boolean reset) throws Exception {
        MemoryAwareUploadFilter filter = start(Map.of("unknownLengthBuffer", "16KB"));
        MultipartBody body = new MultipartBody().generatedFile("doc", "abort.bin", 11, 10_000_000).end();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port());
             java.io.InputStream payload = body.stream()) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + body.contentType()
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 48; i++) {
                int n = payload.readNBytes(chunk, 0, chunk.length);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.write(chunk, 0, n);
                out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            out.flush();
            awaitUntil(() -> tempFiles() == 1 && filter.budget().reserved() > 0);
            if (reset) {
                socket.setSoLinger(true, 0);
            }
        }
        awaitUntil(() -> tempFiles() == 0 && filter.budget().reserved() == 0);
    }

    private static void awaitUntil(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(60)).until(condition);
    }


    @Test
    void destroy_leavesNoFiles() throws IOException {
        MemoryAwareUploadFilter filter = start(Map.of());
        Files.createFile(temp.resolve("spill").resolve(TempStorage.FILE_PREFIX + "leftover.part"));
        filter.destroy();
        assertEquals(0, tempFiles());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(Map<String, Object> json, int index) {
        return (Map<String, Object>) ((List<Object>) json.get("parts")).get(index);
    }

    private static String sha256(Path file) throws IOException {
        var sha = GeneratedStream.sha256();
        sha.update(Files.readAllBytes(file));
        return java.util.HexFormat.of().formatHex(sha.digest());
    }
}
