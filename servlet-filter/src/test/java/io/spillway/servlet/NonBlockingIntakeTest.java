package io.spillway.servlet;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.storage.TempStorage;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MultipartBody;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.RawClient;
import io.spillway.servlet.testing.TestServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nonBlockingIntake=true} over real HTTP on an embedded Tomcat: the body of a streamed
 * upload is read by a {@code ReadListener} into a spool file, so uploads whose clients pause hold
 * no request thread (a connector with 4 threads serves a GET while 12 uploads are in flight, and
 * its busy-thread count is 0); the application is then dispatched to with {@code getParts()}
 * ready and byte-for-byte equal. Limits, the slow-client guard, a client that goes away and a
 * filter declared without async support behave as on the blocking path, leaving no file behind.
 */
class NonBlockingIntakeTest {

    private static final String BOUNDARY = "intake-boundary-5678";
    private static final int FILE_SIZE = 600_000;

    @TempDir
    Path temp;

    private TestServer server;
    private MemoryAwareUploadFilter filter;
    private final DispatchRecordingServlet app = new DispatchRecordingServlet();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void streamedUpload_isDispatchedAfterItsLastByte_withItsPartsWhole() throws Exception {
        start(Map.of(), false);
        MultipartBody body = new MultipartBody().field("title", "spooled")
                .generatedFile("doc", "big.bin", 7, 5_000_000).end();

        HttpResponse<String> response = Http.post(server.uri("/upload"), body);

        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> json = Http.json(response);
        assertEquals("STREAMED", json.get("route"));
        assertEquals(GeneratedStream.sha256Of(7, 5_000_000), part(json, 1).get("sha256"));
        assertEquals(List.of("spooled"), ((Map<?, ?>) json.get("parameters")).get("title"));
        assertEquals(DispatcherType.ASYNC, app.lastDispatch.get());
        await().atMost(20, SECONDS).until(() -> spillFiles() == 0);
    }

    @Test
    void pausedUploads_holdNoRequestThread_andAGetIsServedMeanwhile() throws Exception {
        start(Map.of(), false);
        List<RawClient> uploads = openPausedUploads(12);

        await().atMost(20, SECONDS).until(() -> filter.monitor().active().count() == 12);
        await().atMost(20, SECONDS).until(() -> server.busyThreads() == 0);
        HttpResponse<String> other = Http.send(HttpRequest.newBuilder(server.uri("/other")).GET().build());
        assertEquals(200, other.statusCode());

        for (RawClient upload : uploads) {
            String answer = finish(upload);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.contains(GeneratedStream.sha256Of(11, FILE_SIZE)), answer);
        }
        await().atMost(20, SECONDS).until(() -> spillFiles() == 0 && filter.monitor().active().count() == 0);
    }

    @Test
    void pausedUploads_onTheBlockingPath_holdEveryThread() throws Exception {
        start(Map.of("nonBlockingIntake", "false"), false);
        List<RawClient> uploads = openPausedUploads(4);

        await().atMost(20, SECONDS).until(() -> server.busyThreads() == 4);

        for (RawClient upload : uploads) {
            assertTrue(finish(upload).startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void refusedUploadsStillSending_holdNoRequestThread() throws Exception {
        start(Map.of("maxRequestSize", "100KB"), false);
        List<RawClient> refused = openPausedUploads(6);
        for (RawClient upload : refused) {
            String answer = upload.readResponse(20_000);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        }

        await().atMost(20, SECONDS).until(() -> server.busyThreads() == 0);
        HttpResponse<String> other = Http.send(HttpRequest.newBuilder(server.uri("/other")).GET().build());
        assertEquals(200, other.statusCode());
        for (RawClient upload : refused) {
            upload.close();
        }
    }

    @Test
    void bodyOverMaxRequestSize_is413WhileItArrives_andLeavesNothing() throws Exception {
        start(Map.of("maxRequestSize", "1MB"), false);
        MultipartBody body = new MultipartBody().generatedFile("doc", "huge.bin", 3, 3_000_000).end();

        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(body::stream)).build());

        assertEquals(413, response.statusCode(), response.body());
        assertTrue(response.body().contains("request body exceeds maxRequestSize 1.0 MiB"), response.body());
        await().atMost(20, SECONDS).until(() -> spillFiles() == 0 && filter.monitor().active().count() == 0);
        assertEquals(0, filter.budget().reserved());
    }

    @Test
    void silentClient_isCutOffWith408_andItsSpoolDeleted() throws Exception {
        start(Map.of("minUploadRate", "1KB", "minRateWindow", "2s"), false);
        try (RawClient silent = new RawClient(server.port())) {
            silent.startMultipart("/upload", BOUNDARY, multipartLength());

            String response = silent.readResponse(30_000);

            assertTrue(response.startsWith("HTTP/1.1 408"), response);
            assertTrue(response.contains("upload too slow: "), response);
        }
        await().atMost(20, SECONDS).until(() -> spillFiles() == 0 && filter.monitor().active().count() == 0);
    }

    @Test
    void clientGoneMidBody_leavesNothingBehind() throws Exception {
        start(Map.of(), false);
        try (RawClient gone = new RawClient(server.port())) {
            gone.startMultipart("/upload", BOUNDARY, multipartLength());
            gone.send(GeneratedStream.bytes(11, FILE_SIZE / 2));
            await().atMost(20, SECONDS).until(() -> filter.monitor().active().count() == 1);
        }
        await().atMost(30, SECONDS).until(() -> spillFiles() == 0 && filter.monitor().active().count() == 0);
        assertEquals(0, app.calls.size());
    }

    @Test
    void shutdown_abortsAnUploadStillArriving_with503_andDeletesItsSpool() throws Exception {
        start(Map.of("shutdownTimeout", "1s", "minUploadRate", "0"), false);
        try (RawClient paused = openPausedUploads(1).get(0)) {
            CompletableFuture<Void> stopped = stopWithOneUploadInFlight();

            assertRefusedForShutdown_andNothingLeft(paused.readResponse(30_000), stopped);
        }
    }

    /**
     * Tomcat takes a context off its mapper before it destroys the filter, so an upload whose last
     * byte arrives while {@code destroy()} waits cannot be dispatched to the application: it gets
     * the shutdown's 503 (it got 400 "could not be read" before), and nothing is left behind.
     */
    @Test
    void shutdown_anUploadThatEndsWhileDestroyWaits_gets503_andLeavesNothing() throws Exception {
        start(Map.of("shutdownTimeout", "10s", "minUploadRate", "0"), false);
        try (RawClient paused = openPausedUploads(1).get(0)) {
            CompletableFuture<Void> stopped = stopWithOneUploadInFlight();
            await().atMost(20, SECONDS).pollInterval(Duration.ofMillis(5)).until(() -> !filter.isRunning());

            assertRefusedForShutdown_andNothingLeft(finish(paused), stopped);
        }
    }

    @Test
    void filterWithoutAsyncSupport_readsOnItsThread_andStillDelivers() throws Exception {
        start(Map.of(), true);
        HttpResponse<String> response = Http.post(server.uri("/upload"),
                new MultipartBody().generatedFile("doc", "blocking.bin", 5, 2_000_000).end());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(GeneratedStream.sha256Of(5, 2_000_000), part(Http.json(response), 0).get("sha256"));
        assertEquals(DispatcherType.REQUEST, app.lastDispatch.get());
    }

    private void start(Map<String, String> params, boolean filterNotAsync) {
        Map<String, String> all = new HashMap<>(Map.of("tempDirectory", temp.resolve("spill").toString(),
                "inMemoryThreshold", "0", "diskReserve", "0", "nonBlockingIntake", "true"));
        all.putAll(params);
        filter = new MemoryAwareUploadFilter();
        TestServer.Builder builder = TestServer.builder().filter(filter, all, "/upload")
                .servlet("/upload", app).servlet("/other", new PlainServlet())
                .connector("maxThreads", "4").connector("connectionTimeout", "60000");
        if (filterNotAsync) {
            builder.filterNotAsyncSupported();
        }
        server = builder.start();
    }

    /** Once one upload is in flight, stops the server on another thread. */
    private CompletableFuture<Void> stopWithOneUploadInFlight() {
        await().atMost(20, SECONDS).until(() -> filter.monitor().active().count() == 1);
        TestServer stopping = server;
        server = null;
        return CompletableFuture.runAsync(stopping::close);
    }

    private void assertRefusedForShutdown_andNothingLeft(String response, CompletableFuture<Void> stopped)
            throws Exception {
        assertTrue(response.startsWith("HTTP/1.1 503"), response);
        assertTrue(response.contains("server is shutting down"), response);
        stopped.get(30, SECONDS);
        assertEquals(0, spillFiles());
        assertEquals(0, app.calls.size());
    }

    private List<RawClient> openPausedUploads(int count) throws IOException {
        List<RawClient> uploads = new ArrayList<>();
        byte[] half = GeneratedStream.bytes(11, FILE_SIZE / 2);
        for (int i = 0; i < count; i++) {
            RawClient upload = new RawClient(server.port()).startMultipart("/upload", BOUNDARY, multipartLength());
            upload.send(half);
            uploads.add(upload);
        }
        return uploads;
    }

    private static String finish(RawClient upload) throws IOException {
        byte[] whole = GeneratedStream.bytes(11, FILE_SIZE);
        byte[] rest = java.util.Arrays.copyOfRange(whole, FILE_SIZE / 2, FILE_SIZE);
        upload.send(rest);
        upload.send(RawClient.multipartSuffix(BOUNDARY));
        String answer = upload.readResponse(30_000);
        upload.close();
        return answer;
    }

    private static long multipartLength() {
        return RawClient.multipartPrefixLength(BOUNDARY) + FILE_SIZE + RawClient.multipartSuffix(BOUNDARY).length();
    }

    private long spillFiles() throws IOException {
        try (var files = Files.list(temp.resolve("spill"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(TempStorage.FILE_PREFIX)).count();
        }
    }

    private static Map<?, ?> part(Map<String, Object> json, int index) {
        return (Map<?, ?>) ((List<?>) json.get("parts")).get(index);
    }

    /** Echoes the parts and records how the request reached it. */
    private static final class DispatchRecordingServlet extends PartsEchoServlet {
        private static final long serialVersionUID = 1L;
        final transient AtomicReference<DispatcherType> lastDispatch = new AtomicReference<>();
        final transient List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            lastDispatch.set(request.getDispatcherType());
            calls.add(request.getRequestURI());
            super.service(request, response);
        }
    }

    /** Another servlet of the same webapp, not behind the filter. */
    private static final class PlainServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().write("ok");
        }
    }
}
