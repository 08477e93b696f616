package io.spillway.servlet.resumable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.RecordingServlet;
import io.spillway.servlet.testing.TusUploads;
import io.tus.java.client.TusUploader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tus-java-client, unmodified and without retries, on a file that ends exactly where one of its
 * requests ends (10 MiB in requests of 5 MiB): after the last full request it opens one more,
 * empty PATCH at the full length, which the server answers 204 (as tusd does), not 409 or 410.
 */
class TusClientRequestBoundaryTest {

    private static final long SIZE = 10L << 20;
    private static final long SEED = 17;

    @TempDir
    Path tempDir;

    @Test
    void fileEndingAtARequestBoundary_completesOnTheFirstTry() throws Exception {
        RecordingServlet app = new RecordingServlet();
        try (ResumableServer server = ResumableServer.startForClients(tempDir, app)) {
            TusUploader uploader = TusUploads.clientAt(server.port())
                    .createUpload(TusUploads.generated(SEED, SIZE, "even.bin", "application/x-test"));
            long reached = TusUploads.sendRest(uploader, 5 << 20); // two full requests, then the client's empty one

            assertEquals(SIZE, reached);
            assertEquals(1, app.deliveries.size());
            assertEquals(List.of(Map.of("name", "file", "fileName", "even.bin", "contentType", "application/x-test",
                    "size", SIZE, "sha256", GeneratedStream.sha256Of(SEED, SIZE))), app.deliveries.peek().get("parts"));
        }
    }
}
