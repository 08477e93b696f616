package io.spillway.sample;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sample's application code: an ordinary servlet that knows nothing about memory, chunks or
 * tus. It reads the upload with {@code request.getParts()} only, stores every file part through
 * the {@link FileStore} (which computes the SHA-256 while writing) and answers
 * {@code {"files": [...]}} with the stored files and the route Spillway took.
 *
 * <p>POST, PUT and PATCH are accepted, because the request that completes a resumable upload
 * keeps the method its last chunk used.
 */
public class UploadServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        switch (request.getMethod()) {
            case "POST", "PUT", "PATCH" -> store(request, response);
            default -> {
                response.setHeader("Allow", "POST, PUT, PATCH");
                JsonResponses.error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                        "send files with POST as multipart/form-data");
            }
        }
    }

    private void store(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!isMultipart(request)) {
            JsonResponses.error(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "expected multipart/form-data, got " + request.getContentType());
            return;
        }
        FileStore store = SampleContextListener.store(getServletContext());
        UploadRoute route = UploadRoute.of(request.getAttribute(UploadRoute.ATTRIBUTE));
        List<Object> stored = new ArrayList<>();
        try {
            for (Part part : request.getParts()) {
                if (part.getSubmittedFileName() == null) {
                    continue;
                }
                try (InputStream content = part.getInputStream()) {
                    stored.add(store.store(content, part.getSubmittedFileName(), route).toJson());
                }
            }
        } catch (IllegalStateException e) {
            // the container's own multipart limits (cause: a size exception), or no multipart handling at all
            if (e.getCause() != null) {
                JsonResponses.error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "upload too large");
            } else {
                log("cannot read parts; is the spillway filter mapped to this url?", e);
                JsonResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "cannot read the upload");
            }
            return;
        } catch (ServletException e) {
            JsonResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "cannot read the upload");
            return;
        }
        if (stored.isEmpty()) {
            JsonResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "the request holds no file part");
            return;
        }
        JsonResponses.send(response, HttpServletResponse.SC_OK, Map.of("files", stored));
    }

    private static boolean isMultipart(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }
}
