package io.spillway.servlet.testing;

import io.spillway.core.internal.json.Json;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The application: an ordinary form-upload servlet ({@code doPost}, {@code getParts()}) that
 * digests every part, answers what it saw as JSON and remembers it for the test.
 */
public final class RecordingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    public final transient ConcurrentLinkedQueue<Map<String, Object>> deliveries = new ConcurrentLinkedQueue<>();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("contentType", request.getContentType());
        List<Object> parts = new ArrayList<>();
        for (Part part : request.getParts()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", part.getName());
            p.put("fileName", part.getSubmittedFileName());
            p.put("contentType", part.getContentType());
            p.put("size", part.getSize());
            p.put("sha256", sha256(part));
            parts.add(p);
        }
        seen.put("parts", parts);
        Map<String, Object> parameters = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> parameters.put(k, List.of(v)));
        seen.put("parameters", parameters);
        seen.put("contentRange", request.getHeader("Content-Range"));
        seen.put("dispatcherType", request.getDispatcherType().name());
        deliveries.add(seen);
        byte[] body = Json.write(seen).getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static String sha256(Part part) throws IOException {
        try (InputStream in = part.getInputStream()) {
            return GeneratedStream.sha256Of(in);
        }
    }
}
