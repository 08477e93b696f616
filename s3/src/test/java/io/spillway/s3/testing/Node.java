package io.spillway.s3.testing;

import io.spillway.core.memory.MemoryProbe;
import io.spillway.servlet.MemoryAwareUploadFilter;
import io.spillway.servlet.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/**
 * One server of a cluster: an embedded Tomcat 11 on 127.0.0.1 with an ephemeral port,
 * {@link MemoryAwareUploadFilter} on {@code /upload} and {@code /upload/*}, and the application
 * servlet behind it.
 */
public final class Node implements AutoCloseable {

    private final TestServer server;

    private Node(TestServer server) {
        this.server = server;
    }

    /** Starts a node with the system's memory readings; fails when the filter does not start. */
    public static Node start(Map<String, String> initParams, HttpServlet application) {
        return start(initParams, application, null);
    }

    /**
     * Starts a node whose filter reads memory through {@code memoryProbe} (null for the system's);
     * fails when the filter does not start.
     */
    public static Node start(Map<String, String> initParams, HttpServlet application, MemoryProbe memoryProbe) {
        return new Node(TestServer.builder()
                .filter(new MemoryAwareUploadFilter(memoryProbe, Clock.systemUTC()), initParams, "/upload", "/upload/*")
                .servlet("/upload/*", application)
                .start());
    }

    public int port() {
        return server.port();
    }

    public URI uri(String path) {
        return server.uri(path);
    }

    @Override
    public void close() {
        server.close();
    }
}
