package io.spillway.s3.testing;

import io.spillway.servlet.testing.GeneratedStream;

import io.spillway.core.internal.json.Json;
import io.spillway.core.upload.UploadRecord;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The application of the streamed-storage tests: an ordinary form-upload servlet that digests
 * every part through {@link Part#getInputStream()}, then does what the request header
 * {@code X-Then} asks with each file part: {@code delete} ({@link Part#delete()}), {@code write}
 * ({@link Part#write(String)} to the absolute path in {@code X-Write-To}, then digests that file),
 * or nothing (the filter cleans up). Answers what it saw as JSON, including each file's
 * {@code storagePath} from the {@code io.spillway.upload} record.
 */
public final class PartsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final java.util.concurrent.atomic.AtomicInteger deliveries = new java.util.concurrent.atomic.AtomicInteger();

    /** Run after the parts were read and before {@code X-Then} is applied (in-process tests only). */
    public transient volatile Runnable whileHeld = () -> { };
    /** Run after {@code X-Then} was applied (in-process tests only). */
    public transient volatile Runnable afterAction = () -> { };

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        deliveries.incrementAndGet();
        Map<String, Object> seen = new LinkedHashMap<>();
        List<Object> parts = new ArrayList<>();
        for (Part part : request.getParts()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", part.getName());
            p.put("fileName", part.getSubmittedFileName());
            p.put("size", part.getSize());
            try (InputStream in = part.getInputStream()) {
                p.put("sha256", sha256(in));
            }
            parts.add(p);
        }
        seen.put("parts", parts);
        UploadRecord record = (UploadRecord) request.getAttribute("io.spillway.upload");
        seen.put("route", record.route().name());
        seen.put("storagePaths", record.files().stream().map(f -> String.valueOf(f.storagePath())).toList());
        whileHeld.run();
        String then = String.valueOf(request.getHeader("X-Then"));
        for (Part part : request.getParts()) {
            if (part.getSubmittedFileName() == null) {
                continue;
            }
            if (then.equals("delete")) {
                part.delete();
            } else if (then.equals("write")) {
                Path target = Path.of(request.getHeader("X-Write-To"), part.getName());
                part.write(target.toString());
                try (InputStream in = Files.newInputStream(target)) {
                    seen.put("written-" + part.getName(), sha256(in));
                }
                try (InputStream again = part.getInputStream()) {
                    seen.put("reread-" + part.getName(), sha256(again));
                }
            }
        }
        afterAction.run();
        byte[] body = Json.write(seen).getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** How many requests reached the application. */
    public int deliveries() {
        return deliveries.get();
    }

    private static String sha256(InputStream in) throws IOException {
        MessageDigest md = GeneratedStream.sha256();
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
            md.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
