package io.spillway.benchmarks.harness.server;

import io.spillway.core.internal.json.Json;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark's window into a server JVM: {@code GET /stats} returns the {@link HeapMonitor}
 * observation as JSON, {@code POST /stats} collects garbage and starts a new observation.
 */
final class HeapStatsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient HeapMonitor monitor;

    HeapStatsServlet(HeapMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        monitor.reset();
        answer(response);
    }

    private void answer(HttpServletResponse response) throws IOException {
        byte[] json = Json.write(monitor.snapshot()).getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }
}
