package io.spillway.containers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.storage.LocalResumableStore;
import io.spillway.servlet.MemoryAwareUploadFilter;
import io.spillway.servlet.testing.ContentRangeSlices;
import io.spillway.servlet.testing.CuttingProxy;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.TusUploads;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MultipartBody;
import io.spillway.servlet.testing.RawClient;
import io.spillway.servlet.testing.RecordingServlet;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user of the filter meets on any servlet container, over real HTTP: both routes with
 * {@code getParts()} unchanged, limits and errors, Content-Range and tus uploads that resume after
 * a drop, the slow-client cut-off, graceful shutdown, and an empty temp directory after each.
 * Every container module extends it and registers its {@link ContainerUnderTest}; where a
 * container behaves differently (only Tomcat's blocked read can be woken from another thread), that
 * says which way through {@link ContainerUnderTest.BlockedReads} and the test asserts that way.
 */
public abstract class ContainerAcceptanceSuite {

    /** How long waits give the container to finish what a request started (a slow CI machine). */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final long MIB = 1 << 20;

    private static final String BOUNDARY = "acceptance-boundary-7";

    @TempDir
    protected Path temp;

    private ServletContainer container;
    private MemoryAwareUploadFilter filter;
    private final RecordingServlet application = new RecordingServlet();
    private ContainerUnderTest containerUnderTest;

    /** The container to run on, from the test class's {@link ContainerUnderTest} extension. */
    @BeforeEach
    void runOn(ContainerUnderTest containerUnderTest) {
        this.containerUnderTest = containerUnderTest;
    }

    @AfterEach
    void stopAndFindNothingLeft() throws Exception {
        if (container != null) {
            container.close();
        }
        assertEquals(List.of(), leftInTempDirectory(), "no part file, staged chunk or upload left behind");
    }

    @Test
    void requestsBehindTheFilter_runOnTheThreadsTheContainerWasGiven() throws Exception {
        HttpServlet threadName = new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().write(Thread.currentThread().toString());
            }
        };
        filter = new MemoryAwareUploadFilter();
        container = containerUnderTest.launcher().start(filter,
                Map.of("tempDirectory", spill().toString(), "diskReserve", "0"), threadName);
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(uri("/upload")).GET().build());
        assertEquals(200, response.statusCode());
        assertEquals(containerUnderTest.onVirtualThreads(), response.body().startsWith("VirtualThread["),
                response.body());
    }

    @Test
    void smallUpload_isBufferedInMemory_andTheApplicationReadsItWithGetParts() throws Exception {
        start(Map.of());
        MultipartBody body = new MultipartBody().field("title", "holiday")
                .generatedFile("doc", "small.bin", 1, 100_000).end();
        HttpResponse<String> response = Http.post(uri("/upload"), body);
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> seen = Http.json(response);
        assertEquals(Map.of("title", List.of("holiday")), seen.get("parameters"));
        List<?> parts = (List<?>) seen.get("parts");
        assertEquals(2, parts.size(), "the field is a part too, as the Servlet API says");
        assertEquals("title", ((Map<?, ?>) parts.get(0)).get("name"));
        assertEquals(part("doc", "small.bin", "application/octet-stream", 100_000, 1), parts.get(1));
        assertEquals(1L, filter.monitor().counters().routedByRoute().get("BUFFERED"));
    }

    @Test
    void largeUpload_isStreamedToDisk_andArrivesByteForByte() throws Exception {
        start(Map.of("inMemoryThreshold", "1MB"));
        long size = 64 * MIB;
        MultipartBody body = new MultipartBody().generatedFile("doc", "large.bin", 2, size).end();
        HttpResponse<String> response = Http.post(uri("/upload"), body);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(List.of(part("doc", "large.bin", "application/octet-stream", size, 2)),
                Http.json(response).get("parts"));
        assertEquals(1L, filter.monitor().counters().routedByRoute().get("STREAMED"));
    }

    @Test
    void limitsAndMalformedRequests_getAClearStatusAndReason() throws Exception {
        start(Map.of("maxFileSize", "1MB"));
        HttpResponse<String> tooLarge = Http.post(uri("/upload"),
                new MultipartBody().generatedFile("doc", "big.bin", 3, 2 * MIB).end());
        assertEquals(413, tooLarge.statusCode());
        assertEquals("file in part 'doc' exceeds maxFileSize 1.0 MiB\n", tooLarge.body());

        HttpResponse<String> noBoundary = Http.send(HttpRequest.newBuilder(uri("/upload"))
                .header("Content-Type", "multipart/form-data").POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(400, noBoundary.statusCode());
        assertEquals("multipart request without a valid boundary\n", noBoundary.body());

        HttpResponse<String> related = Http.send(HttpRequest.newBuilder(uri("/upload"))
                .header("Content-Type", "multipart/related; boundary=abc")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(415, related.statusCode());
        assertEquals("unsupported multipart type; send multipart/form-data\n", related.body());

        HttpResponse<String> badRange = Http.send(HttpRequest.newBuilder(uri("/upload"))
                .header("Content-Range", "bytes 10-5/100").PUT(HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(400, badRange.statusCode(), badRange.body());
        assertEquals(0, application.deliveries.size(), "nothing reached the application");
    }

    @Test
    void contentRangeSlices_resumeAfterAStatusQuery_andArriveAsOnePart() throws Exception {
        start(Map.of());
        long total = 5 * MIB / 2;
        byte[] file = GeneratedStream.bytes(4, (int) total);
        HttpResponse<String> first = slice(null, file, 0, MIB);
        assertEquals(200, first.statusCode(), first.body());
        String id = first.headers().firstValue("Upload-Id").orElseThrow();

        HttpResponse<String> status = Http.send(HttpRequest.newBuilder(uri("/upload"))
                .header("Upload-Id", id).header("Content-Range", "bytes */" + total)
                .PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, status.statusCode(), status.body());
        assertEquals(MIB, Http.json(status).get("received"));

        assertEquals(200, slice(id, file, MIB, 2 * MIB).statusCode());
        HttpResponse<String> last = slice(id, file, 2 * MIB, total);
        assertEquals(200, last.statusCode(), last.body());
        assertEquals(List.of(part("file", "slices.bin", "application/octet-stream", total, 4)),
                Http.json(last).get("parts"));
        assertEquals(1, application.deliveries.size());
    }

    /**
     * tus-java-client, with no retry, loses its connection in the middle of a PATCH; a fresh client
     * resumes from the offset the server kept and completes the upload.
     */
    @Test
    void tusUpload_cutMidRequest_aFreshTusJavaClientResumes_andTheFileArrivesOnce() throws Exception {
        long resumedAt = interruptedTusUpload(5, CuttingProxy::armAfter, true);
        assertTrue(resumedAt > 0, "kept what arrived: " + resumedAt);
    }

    /**
     * The network goes away in the middle of a PATCH without the server noticing (its side of the
     * connection stays open and silent). A fresh tus-java-client resumes at once, with no retry: the
     * request still holding the upload is made to let go (woken on Tomcat, revoked after the
     * release wait where its read cannot be woken), and the file arrives once, byte for byte.
     */
    @Test
    void tusUpload_stalledMidRequest_unnoticed_aFreshClientResumesAtOnce() throws Exception {
        interruptedTusUpload(7, CuttingProxy::armStallAfter, false);
    }

    /**
     * A client dripping a byte every 1.5 s is cut off with 408 after {@code minRateWindow}; a
     * silent one is too where the container's read can be woken, and elsewhere at its next byte.
     */
    @Test
    void slowClients_areCutOffWith408_andTheirPartialFilesDeleted() throws Exception {
        start(Map.of("inMemoryThreshold", "0", "minUploadRate", "1KB", "minRateWindow", "2s"));
        CompletableFuture<String> drip = CompletableFuture.supplyAsync(() -> slowClient(1500));
        try (RawClient silent = new RawClient(container.port())) {
            silent.startMultipart("/upload", BOUNDARY, 10 * MIB).send(new byte[100]);
            String early = silent.readResponse(6000);
            String response;
            if (containerUnderTest.wakesBlockedReads()) {
                response = early;
            } else {
                assertEquals("", early, "the read cannot be woken here; nothing is answered yet");
                silent.send(new byte[1]);
                response = silent.readResponse(10_000);
            }
            assertTrue(response.startsWith("HTTP/1.1 408"), response);
            assertTrue(response.contains("upload too slow: "), response);
        }
        String dripped = drip.get(30, TimeUnit.SECONDS);
        assertTrue(dripped.startsWith("HTTP/1.1 408"), dripped);
        awaitNoUploadInFlight();
    }

    /**
     * With {@code nonBlockingIntake=true} a streamed body is read by a {@code ReadListener}: an
     * upload paused half-way has not reached the application; after its last byte the application
     * gets it through an async dispatch, byte for byte; a dripping client is still cut off with 408.
     */
    @Test
    void nonBlockingIntake_deliversAfterTheLastByte_throughAnAsyncDispatch() throws Exception {
        start(Map.of("inMemoryThreshold", "0", "nonBlockingIntake", "true", "minUploadRate", "1KB",
                "minRateWindow", "2s"));
        try (HalfSentUpload paused = new HalfSentUpload(8)) {
            assertEquals(0, application.deliveries.size(), "nothing reaches the application before the last byte");
            paused.finishAndAssertAnswered();
        }
        assertEquals("ASYNC", application.deliveries.peek().get("dispatcherType"));
        String dripped = slowClient(1500);
        assertTrue(dripped.startsWith("HTTP/1.1 408"), dripped);
        awaitNoUploadInFlight();
    }

    /**
     * The container stops while an upload is in flight: the stop waits, and the upload, finished
     * within {@code shutdownTimeout}, completes (on Tomcat the filter's {@code destroy()} waits for
     * it; on Jetty its {@code GracefulHandler} does, before the filter is destroyed).
     */
    @Test
    void shutdown_letsAnUploadInFlightFinish() throws Exception {
        start(Map.of("inMemoryThreshold", "0", "minUploadRate", "0", "shutdownTimeout", "10s"));
        try (HalfSentUpload finishing = new HalfSentUpload(6)) {
            ServletContainer stopping = container;
            container = null;
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> closeQuietly(stopping));
            awaitStopping(stopping);
            assertTrue(!stopped.isDone(), "the stop waits for the upload in flight");
            finishing.finishAndAssertAnswered();
            stopped.get(30, TimeUnit.SECONDS);
        }
        assertEquals(1, application.deliveries.size());
    }

    /**
     * A 12 MiB tus upload whose first PATCH is interrupted after 3 MiB by {@code interruption},
     * then resumed by a fresh client; checks that the application received it once, byte for byte.
     *
     * @param serverNotices whether the server sees the interruption (a cut): the fresh client then
     *                      starts once the interrupted request has ended, so that what it kept is
     *                      what it read, however late a loaded machine schedules its thread
     * @return the offset the fresh client resumed from
     */
    private long interruptedTusUpload(long seed, java.util.function.ObjLongConsumer<CuttingProxy> interruption,
                                      boolean serverNotices) throws Exception {
        start(Map.of());
        long size = 12 * MIB;
        try (CuttingProxy proxy = new CuttingProxy(container.port())) {
            TusUploader creating = TusUploads.clientAt(proxy.port()).createUpload(tusSource(seed, size));
            String path = creating.getUploadURL().getPath();
            interruption.accept(proxy, 3 * MIB);
            assertThrows(Exception.class, () -> sendAll(creating));
            assertTrue(proxy.didCut());
            if (serverNotices) {
                awaitUploadsInFlight(0);
            }

            TusUploader resumed = new TusClient().beginOrResumeUploadFromURL(tusSource(seed, size),
                    uri(path).toURL());
            long resumedAt = resumed.getOffset();
            assertTrue(resumedAt < size, "resumed at " + resumedAt);
            sendAll(resumed);

            assertEquals(1, application.deliveries.size(), "the application received the file once");
            assertEquals(List.of(part("file", "video.bin", "video/mp4", size, seed)),
                    application.deliveries.peek().get("parts"));
            return resumedAt;
        }
    }

    /**
     * A multipart upload of a generated 2,000,000-byte file over a raw socket, sent up to half of
     * the file and then held while the test acts on the upload in flight.
     */
    private final class HalfSentUpload implements AutoCloseable {

        private static final int SIZE = 2_000_000;

        private final long seed;
        private final byte[] file;
        private final RawClient client;

        /** Sends the head and the first half of the file, and waits until the filter has the upload in flight. */
        HalfSentUpload(long seed) throws IOException {
            this.seed = seed;
            this.file = GeneratedStream.bytes(seed, SIZE);
            long length = RawClient.multipartPrefixLength(BOUNDARY) + SIZE
                    + RawClient.multipartSuffix(BOUNDARY).length();
            this.client = new RawClient(container.port());
            try {
                client.startMultipart("/upload", BOUNDARY, length).send(java.util.Arrays.copyOf(file, SIZE / 2));
                awaitUploadsInFlight(1);
            } catch (IOException | RuntimeException e) {
                client.close();
                throw e;
            }
        }

        /** Sends the rest of the body and asserts a 200 carrying the file's SHA-256. */
        void finishAndAssertAnswered() throws IOException {
            client.send(java.util.Arrays.copyOfRange(file, SIZE / 2, SIZE));
            client.send(RawClient.multipartSuffix(BOUNDARY));
            String response = client.readResponse(20_000);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.contains(GeneratedStream.sha256Of(seed, SIZE)), response);
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    private void start(Map<String, String> extra) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("tempDirectory", spill().toString(), "diskReserve", "0",
                "maxFileSize", "200MB", "maxRequestSize", "200MB"));
        params.putAll(extra);
        filter = new MemoryAwareUploadFilter();
        container = containerUnderTest.launcher().start(filter, params, application);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + container.port() + path);
    }

    private Path spill() {
        return temp.resolve("spill");
    }

    private HttpResponse<String> slice(String id, byte[] file, long from, long to) {
        return new ContentRangeSlices(uri("/upload"), "PUT", "slices.bin", file).send(id, from, to);
    }

    private String slowClient(long pauseMillis) {
        try (RawClient client = new RawClient(container.port())) {
            client.startMultipart("/upload", BOUNDARY, 10 * MIB);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                String answer = client.readResponse((int) pauseMillis);
                if (!answer.isEmpty()) {
                    return answer;
                }
                client.send(new byte[1]);
            }
            return "no answer within 20 s";
        } catch (IOException e) {
            return "connection failed: " + e;
        }
    }

    private void awaitUploadsInFlight(int count) {
        await(count + " uploads in flight").atMost(PATIENCE).until(() -> filter.monitor().active().count() == count);
    }

    private static void awaitStopping(ServletContainer stopping) {
        await("the container is stopping").atMost(PATIENCE).pollInterval(Duration.ofMillis(5))
                .until(stopping::isStopping);
    }

    private void awaitNoUploadInFlight() {
        awaitUploadsInFlight(0);
    }

    /** Sends the rest of the upload in requests of 5 MiB, as tus-java-client splits it. */
    private static long sendAll(TusUploader uploader) throws Exception {
        return TusUploads.sendRest(uploader, (int) (5 * MIB));
    }

    private static TusUpload tusSource(long seed, long size) {
        return TusUploads.generated(seed, size, "video.bin", "video/mp4");
    }

    private static Map<String, Object> part(String name, String fileName, String contentType, long size, long seed) {
        Map<String, Object> part = new HashMap<>();
        part.put("name", name);
        part.put("fileName", fileName);
        part.put("contentType", contentType);
        part.put("size", size);
        part.put("sha256", GeneratedStream.sha256Of(seed, size));
        return part;
    }

    private static void closeQuietly(ServletContainer stopping) {
        try {
            stopping.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Regular files left under the temp directory, except the durable records of ended uploads. */
    private List<Path> leftInTempDirectory() throws IOException {
        if (!Files.exists(spill())) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(spill())) {
            return walk.filter(Files::isRegularFile).map(spill()::relativize)
                    .filter(relative -> !LocalResumableStore.isEndingRecord(relative)).toList();
        }
    }
}
