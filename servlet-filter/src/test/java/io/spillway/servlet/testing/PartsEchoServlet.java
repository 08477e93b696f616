package io.spillway.servlet.testing;

import io.spillway.core.internal.json.Json;
import io.spillway.core.upload.UploadRecord;
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

/**
 * The application of most tests: uses only the Servlet API ({@code getParts()},
 * {@code getParameterMap()}), reads every part fully, digests it, and answers JSON with what it
 * saw plus the route from the request attribute.
 */
public class PartsEchoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> result = new LinkedHashMap<>();
        List<Object> parts = new ArrayList<>();
        String type = request.getContentType();
        boolean multipart = type != null && type.startsWith("multipart/");
        try {
            for (Part part : multipart ? request.getParts() : List.<Part>of()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("name", part.getName());
                p.put("fileName", part.getSubmittedFileName());
                p.put("size", part.getSize());
                p.put("contentType", part.getContentType());
                p.put("sha256", digest(part));
                parts.add(p);
            }
        } catch (jakarta.servlet.ServletException e) {
            result.put("getPartsError", e.getMessage());
        }
        result.put("parts", parts);
        Map<String, Object> params = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> params.put(k, List.of(v)));
        result.put("parameters", params);
        Object record = request.getAttribute("io.spillway.upload");
        if (record instanceof UploadRecord upload) {
            result.put("route", upload.route().name());
            result.put("reason", upload.reason());
            List<Object> files = new ArrayList<>();
            upload.files().forEach(f -> files.add(Map.of("size", f.size(),
                    "path", String.valueOf(f.storagePath()))));
            result.put("files", files);
        }
        afterParts(request);
        byte[] body = Json.write(result).getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Hook for tests that also write or delete parts. */
    protected void afterParts(HttpServletRequest request) throws IOException {
    }

    static String digest(Part part) throws IOException {
        try (InputStream in = part.getInputStream()) {
            return GeneratedStream.sha256Of(in);
        }
    }
}
