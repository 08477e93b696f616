package io.spillway.servlet.resumable;

import io.spillway.servlet.testing.RecordingServlet;

import io.spillway.servlet.testing.CuttingProxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.TusUploads;
import io.tus.java.client.ProtocolException;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusExecutor;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Java tus client (not written here) uploads 64 MiB in 5 MiB requests through
 * {@code MemoryAwareUploadFilter}; the connection is cut in the middle of a request, the client
 * resumes from the offset the server reports, and the application receives one Part with the
 * source's SHA-256.
 */
class TusClientResumeTest {

    private static final long SIZE = 64L << 20;
    private static final long SEED = 64;
    private static final int PAYLOAD = 5 << 20;
    private static final long DROP_SIZE = 16L << 20;

    @TempDir
    Path tempDir;

    @Test
    void interruptedUpload_resumes_andTheApplicationReceivesTheWholeFile() throws Exception {
        RecordingServlet app = new RecordingServlet();
        try (ResumableServer server = ResumableServer.startForClients(tempDir, app);
             CuttingProxy proxy = new CuttingProxy(server.port())) {
            TusClient client = TusUploads.resumingClientAt(proxy.port(), new TusURLMemoryStore());

            proxy.armAfter(4L * PAYLOAD + PAYLOAD / 2);
            TusUploader first = client.resumeOrCreateUpload(source());
            // the proxy cuts the fifth request in its middle
            assertThrows(IOException.class, () -> TusUploads.sendRest(first, PAYLOAD));
            assertTrue(proxy.didCut());
            assertEquals(0, app.deliveries.size());

            AtomicLong resumedAt = new AtomicLong(-1);
            TusExecutor executor = new TusExecutor() {
                @Override
                protected void makeAttempt() throws ProtocolException, IOException {
                    TusUploader uploader = client.resumeOrCreateUpload(source());
                    resumedAt.compareAndSet(-1, uploader.getOffset());
                    TusUploads.sendRest(uploader, PAYLOAD);
                }
            };
            executor.setDelays(new int[] {200, 500, 1000, 2000});
            assertTrue(executor.makeAttempts());

            assertTrue(resumedAt.get() >= 4L * PAYLOAD && resumedAt.get() < 5L * PAYLOAD,
                    "resumed from the server's offset, which keeps the bytes of the cut request: " + resumedAt);
            assertEquals(1, app.deliveries.size());
            assertEquals(List.of(Map.of("name", "file", "fileName", "random.bin", "contentType", "application/x-test",
                    "size", SIZE, "sha256", GeneratedStream.sha256Of(SEED, SIZE))), app.deliveries.peek().get("parts"));
        }
        assertEquals(Map.of(), Disk.awaitEmpty(tempDir));
    }

    /**
     * The network drops in the middle of a PATCH without the server noticing (its side of the
     * connection stays open and silent). A new client, started at once with no retry, asks for
     * the offset: the stalled PATCH lets go of the upload, keeping what it received, and the new
     * client finishes on its first try.
     */
    @Test
    void droppedConnectionTheServerDoesNotNotice_aFreshClientResumesAtOnce() throws Exception {
        RecordingServlet app = new RecordingServlet();
        try (ResumableServer server = ResumableServer.startForClients(tempDir, app);
             CuttingProxy proxy = new CuttingProxy(server.port())) {
            TusURLMemoryStore urls = new TusURLMemoryStore();
            proxy.armStallAfter(2L * PAYLOAD + PAYLOAD / 2);
            TusUploader first = newClient(proxy, urls).resumeOrCreateUpload(source(DROP_SIZE));
            // the proxy drops the third request in its middle
            assertThrows(IOException.class, () -> TusUploads.sendRest(first, PAYLOAD));
            assertTrue(proxy.didCut());

            TusUploader fresh = newClient(proxy, urls).resumeOrCreateUpload(source(DROP_SIZE));
            long resumedAt = fresh.getOffset();
            TusUploads.sendRest(fresh, PAYLOAD);

            assertTrue(resumedAt >= 2L * PAYLOAD && resumedAt < 3L * PAYLOAD,
                    "resumed from the offset the stalled request settled on: " + resumedAt);
            assertEquals(1, app.deliveries.size());
            assertEquals(GeneratedStream.sha256Of(SEED, DROP_SIZE),
                    ((Map<?, ?>) ((List<?>) app.deliveries.peek().get("parts")).get(0)).get("sha256"));
        }
        assertEquals(Map.of(), Disk.awaitEmpty(tempDir));
    }

    private static TusClient newClient(CuttingProxy proxy, TusURLMemoryStore urls) throws IOException {
        return TusUploads.resumingClientAt(proxy.port(), urls);
    }

    private static TusUpload source() {
        return source(SIZE);
    }

    private static TusUpload source(long size) {
        return TusUploads.generated(SEED, size, "random.bin", "application/x-test");
    }
}
