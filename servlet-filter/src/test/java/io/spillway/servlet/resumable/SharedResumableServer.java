package io.spillway.servlet.resumable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spillway.servlet.testing.RecordingServlet;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link ResumableServer} shared by all tests of a protocol test class, with a
 * {@link RecordingServlet} behind it: started before the first test in the class's static
 * {@code @TempDir} (100MB a file and a request, no disk reserve, the class's stalled-upload
 * timeout) and closed after the last. After each test the temp directory must become empty and
 * the deliveries are forgotten, so that every test starts as on a fresh server without paying
 * for one.
 *
 * <pre>{@code
 * @TempDir
 * static Path tempDir;
 *
 * @RegisterExtension
 * static final SharedResumableServer server = new SharedResumableServer(() -> tempDir, "30s");
 * }</pre>
 */
final class SharedResumableServer implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    /** The application behind the filter. */
    final RecordingServlet app = new RecordingServlet();

    private final Supplier<Path> tempDir;
    private final String stalledUploadTimeout;
    private final String leftBehindMessage;
    private ResumableServer server;

    /** A server whose stalled uploads are dropped after {@code stalledUploadTimeout}, e.g. {@code "30s"}. */
    SharedResumableServer(Supplier<Path> tempDir, String stalledUploadTimeout) {
        this(tempDir, stalledUploadTimeout, null);
    }

    /** The same, saying {@code leftBehindMessage} when a test leaves anything in the temp directory. */
    SharedResumableServer(Supplier<Path> tempDir, String stalledUploadTimeout, String leftBehindMessage) {
        this.tempDir = tempDir;
        this.stalledUploadTimeout = stalledUploadTimeout;
        this.leftBehindMessage = leftBehindMessage;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = ResumableServer.start(Map.of("tempDirectory", tempDir.get().toString(), "maxFileSize", "100MB",
                "maxRequestSize", "100MB", "diskReserve", "0", "stalledUploadTimeout", stalledUploadTimeout), app);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        assertEquals(Map.of(), Disk.awaitEmpty(tempDir.get()), leftBehindMessage);
        app.deliveries.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    int port() {
        return server.port();
    }

    URI uri(String path) {
        return server.uri(path);
    }
}
