package io.spillway.servlet.hardening;

import static io.spillway.servlet.testing.MemoryReadings.GIB;

import io.spillway.core.memory.MemorySnapshot;
import io.spillway.servlet.MemoryAwareUploadFilter;
import io.spillway.servlet.testing.MemoryReadings;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.RawHttpClient;
import io.spillway.servlet.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A running embedded Tomcat with the Spillway filter on {@code /upload} in front of an
 * application servlet, a private temp directory and a fake memory probe (so that routing does
 * not depend on the machine the tests run on).
 *
 * @param server        the running Tomcat
 * @param filter        the filter in it
 * @param tempDirectory the filter's temp directory, deleted on {@link #close()}
 */
record Target(TestServer server, MemoryAwareUploadFilter filter, Path tempDirectory) implements AutoCloseable {

    /** Plenty of memory: 7.5 GiB heap headroom, so only the configuration decides the route. */
    static final MemorySnapshot PLENTY = memory(GIB / 2, 8 * GIB);

    /** A heap reading with {@code heapUsed} of {@code heapMax} in use and 8 GiB of physical memory free. */
    static MemorySnapshot memory(long heapUsed, long heapMax) {
        return MemoryReadings.heap(heapUsed, heapMax);
    }

    /** Starts a target; {@code params} override the defaults of the hardening suite. */
    static Target start(Path tempDirectory, Map<String, String> params, HttpServlet app, MemorySnapshot reading) {
        Map<String, String> all = new HashMap<>(Map.of("tempDirectory", tempDirectory.toString(),
                "diskReserve", "0", "digestAlgorithm", "SHA-256"));
        all.putAll(params);
        MemoryAwareUploadFilter filter = new MemoryAwareUploadFilter(() -> reading, Clock.systemUTC());
        TestServer server = TestServer.builder()
                .filter(filter, all, "/upload/*", "/upload")
                .servlet("/upload/*", app)
                .connector("maxKeepAliveRequests", "1")
                .start();
        filter.probe().refreshNow();
        return new Target(server, filter, tempDirectory);
    }

    static Target start(Path tempDirectory, Map<String, String> params) {
        return start(tempDirectory, params, new PartsEchoServlet(), PLENTY);
    }

    int port() {
        return server.port();
    }

    URI uri(String path) {
        return server.uri(path);
    }

    /**
     * Waits until no request is in flight (a client may have its response before the filter has
     * cleaned up after it), then captures temp files, descriptors and the budget, to compare after
     * a case.
     */
    Baseline baseline() {
        ClientAbortTest.awaitTrue("the server to be idle", () -> server.busyThreads() == 0
                && filter.budget().holders() == 0);
        return Baseline.capture(tempDirectory, filter.budget());
    }

    /** Sends a raw request and reads the response. */
    RawHttpClient.Response send(RawHttpClient.Request request) {
        try {
            return request.send(port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a raw request that must be refused: exactly {@code status}, a reason starting with
     * {@code reason}, no stack trace; then temp files, descriptors and the budget must be back
     * where they were before it (see {@link #baseline()}). Returns the refusal.
     */
    RawHttpClient.Response assertRefusedAndRestored(RawHttpClient.Request request, int status, String reason) {
        Baseline baseline = baseline();
        RawHttpClient.Response response = send(request);
        Responses.assertRefused(response, status, reason);
        baseline.assertRestored();
        return response;
    }

    /** Files the storage made that are still in the temp directory. */
    long tempFiles() {
        try {
            return filter.storage().countFiles();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        TestServer.deleteTree(tempDirectory);
    }

    /** Whether the temp directory exists (it is created by the filter's init). */
    boolean hasTempDirectory() {
        return Files.isDirectory(tempDirectory);
    }
}
