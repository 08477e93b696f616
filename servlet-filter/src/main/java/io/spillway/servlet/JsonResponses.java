package io.spillway.servlet;

import io.spillway.core.internal.json.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes the JSON answers of the health and progress servlets: never cached, never sniffed. */
final class JsonResponses {

    private JsonResponses() {
    }

    static void send(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static void error(HttpServletResponse response, int status, String reason) throws IOException {
        send(response, status, Map.of("status", status, "error", reason));
    }

    /**
     * The running filter of the servlet's context; or, before it started (or after it failed or
     * stopped), null once a {@code 503} has been answered.
     */
    static MemoryAwareUploadFilter runningFilter(jakarta.servlet.ServletContext context, HttpServletResponse response)
            throws IOException {
        if (context.getAttribute(MemoryAwareUploadFilter.FILTER_ATTRIBUTE) instanceof MemoryAwareUploadFilter filter
                && filter.isRunning()) {
            return filter;
        }
        error(response, 503, "the spillway filter is not running");
        return null;
    }
}
