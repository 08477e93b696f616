package io.spillway.benchmarks.harness.server;

import io.spillway.core.upload.UploadRecord;
import io.spillway.servlet.MemoryAwareUploadFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;

/**
 * An ordinary application servlet: reads every {@link Part} from {@code request.getParts()} fully
 * and digests it. Used behind Spillway (A) and with Tomcat's own multipart support (B, C).
 * Behind Spillway it also tells the client the route the upload took.
 */
final class PartsDigestServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        DigestingCopy work = new DigestingCopy();
        for (Part part : request.getParts()) {
            try (InputStream in = part.getInputStream()) {
                work.consume(in, null);
            }
        }
        Object upload = request.getAttribute(MemoryAwareUploadFilter.UPLOAD_ATTRIBUTE);
        work.respond(response, upload instanceof UploadRecord record ? record.route().name() : null);
    }
}
