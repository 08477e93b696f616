package io.spillway.servlet.resumable;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.servlet.MemoryAwareUploadFilter;
import io.spillway.servlet.testing.ContentRangeSlices;
import io.spillway.servlet.testing.CuttingProxy;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.RawClient;
import io.spillway.servlet.testing.RecordingServlet;
import io.spillway.servlet.testing.TestServer;
import io.spillway.servlet.testing.TusUploads;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumable requests with {@code nonBlockingIntake=true}, over real HTTP with tus-java-client
 * (unmodified, no retries) and Content-Range slices: each request's body is spooled without a
 * thread and then handled by its protocol. A request cut off in its middle keeps the bytes that
 * arrived, so a fresh client resumes after them; one that stalls unnoticed keeps nothing and
 * never disturbs the fresh client that took over; paused requests hold no request thread.
 */
class NonBlockingResumableIntakeTest {

    private static final int PAYLOAD = 5 << 20;
    private static final long SIZE = 16L << 20;
    private static final long SEED = 91;

    @TempDir
    Path temp;

    private final RecordingServlet app = new RecordingServlet();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private TestServer server;
    private MemoryAwareUploadFilter filter;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        if (server != null) {
            server.close();
        }
        assertEquals(Map.of(), Disk.awaitEmpty(temp.resolve("spill")));
    }

    @Test
    void tusUpload_cutMidRequest_keepsWhatArrived_andAFreshClientFinishesOnItsFirstTry() throws Exception {
        start();
        CuttingProxy proxy = proxy();
        TusURLMemoryStore urls = new TusURLMemoryStore();
        interruptFirstClient(proxy, urls, () -> proxy.armAfter(2L * PAYLOAD + PAYLOAD / 2));
        assertTrue(proxy.didCut());

        await().atMost(20, SECONDS).until(() -> filter.monitor().active().count() == 0);
        long resumedAt = finishWithAFreshClient(proxy, urls);

        assertTrue(resumedAt > 2L * PAYLOAD && resumedAt < 3L * PAYLOAD,
                "the cut request's bytes were kept: resumed at " + resumedAt);
        assertDeliveredOnce();
    }

    @Test
    void tusUpload_stalledUnnoticed_aFreshClientFinishes_andTheLateRequestKeepsNothing() throws Exception {
        start();
        CuttingProxy proxy = proxy();
        TusURLMemoryStore urls = new TusURLMemoryStore();
        interruptFirstClient(proxy, urls, () -> proxy.armStallAfter(2L * PAYLOAD + PAYLOAD / 2));

        long resumedAt = finishWithAFreshClient(proxy, urls);
        proxy.close();

        assertEquals(2L * PAYLOAD, resumedAt, "the stalled request's bytes were still in its spool");
        assertDeliveredOnce();
        await().atMost(30, SECONDS).until(() -> filter.monitor().active().count() == 0);
    }

    @Test
    void pausedPatches_holdNoRequestThread_andEachIsAppliedOnceItsBodyIsIn() throws Exception {
        start();
        int count = 6;
        int half = 256 << 10;
        List<RawClient> patches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String path = createTusUpload(2L * half);
            RawClient patch = new RawClient(server.port());
            patch.send("PATCH " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
                    + "Content-Type: application/offset+octet-stream\r\nContent-Length: " + 2 * half + "\r\n\r\n");
            patch.send(GeneratedStream.bytes(i, half));
            patches.add(patch);
        }
        await().atMost(20, SECONDS).until(() -> filter.monitor().active().count() == count);
        await().atMost(20, SECONDS).until(() -> server.busyThreads() == 0);

        for (int i = 0; i < count; i++) {
            RawClient patch = patches.get(i);
            byte[] whole = GeneratedStream.bytes(i, 2 * half);
            patch.send(java.util.Arrays.copyOfRange(whole, half, 2 * half));
            String answer = patch.readResponse(20_000);
            patch.close();
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
        assertEquals(count, app.deliveries.size());
    }

    @Test
    void contentRangeSlices_throughTheIntake_arriveAsOnePart() throws Exception {
        start();
        byte[] file = GeneratedStream.bytes(SEED, 3_000_000);
        HttpResponse<String> first = slice(null, file, 0, 1_000_000);
        assertEquals(200, first.statusCode(), first.body());
        String id = first.headers().firstValue("Upload-Id").orElseThrow();
        assertEquals(200, slice(id, file, 1_000_000, 2_000_000).statusCode());
        HttpResponse<String> last = slice(id, file, 2_000_000, 3_000_000);

        assertEquals(200, last.statusCode(), last.body());
        assertTrue(last.body().contains(GeneratedStream.sha256Of(SEED, 3_000_000)), last.body());
        assertEquals("ASYNC", app.deliveries.peek().get("dispatcherType"));
    }

    private void start() {
        filter = new MemoryAwareUploadFilter();
        server = TestServer.builder()
                .filter(filter, Map.of("tempDirectory", temp.resolve("spill").toString(), "diskReserve", "0",
                        "maxFileSize", "100MB", "maxRequestSize", "100MB", "nonBlockingIntake", "true"),
                        "/upload", "/upload/*")
                .servlet("/upload/*", app)
                .connector("maxThreads", "4")
                .start();
    }

    private CuttingProxy proxy() throws IOException {
        CuttingProxy proxy = new CuttingProxy(server.port());
        opened.add(proxy);
        return proxy;
    }

    private static TusUploader uploader(CuttingProxy proxy, TusURLMemoryStore urls) throws Exception {
        return TusUploads.resumingClientAt(proxy.port(), urls).resumeOrCreateUpload(source());
    }

    /** A first client whose upload {@code interruption} breaks off in its third request. */
    private static void interruptFirstClient(CuttingProxy proxy, TusURLMemoryStore urls, Runnable interruption)
            throws Exception {
        interruption.run();
        TusUploader first = uploader(proxy, urls);
        assertThrows(IOException.class, () -> TusUploads.sendRest(first, PAYLOAD));
    }

    /** A fresh client resumes and sends the rest; returns the offset it resumed from. */
    private static long finishWithAFreshClient(CuttingProxy proxy, TusURLMemoryStore urls) throws Exception {
        TusUploader fresh = uploader(proxy, urls);
        long resumedAt = fresh.getOffset();
        TusUploads.sendRest(fresh, PAYLOAD);
        return resumedAt;
    }

    private String createTusUpload(long length) {
        HttpResponse<String> created = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", Long.toString(length))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, created.statusCode(), created.body());
        return URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
    }

    private HttpResponse<String> slice(String id, byte[] file, int from, int to) {
        return new ContentRangeSlices(server.uri("/upload"), "PUT", "slices.bin", file).send(id, from, to);
    }

    private void assertDeliveredOnce() {
        assertEquals(1, app.deliveries.size());
        assertEquals(List.of(Map.of("name", "file", "fileName", "random.bin", "contentType", "application/x-test",
                "size", SIZE, "sha256", GeneratedStream.sha256Of(SEED, SIZE))), app.deliveries.peek().get("parts"));
        assertEquals("ASYNC", app.deliveries.peek().get("dispatcherType"));
    }

    private static TusUpload source() {
        return TusUploads.generated(SEED, SIZE, "random.bin", "application/x-test");
    }
}
