package io.spillway.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lists the stored files as JSON ({@code GET /files}: name, size, SHA-256, route) and deletes one
 * ({@code DELETE /files/<id>}), so that a person trying the sample can keep the disk tidy.
 */
public class FilesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<Object> files = new ArrayList<>();
        for (StoredFile file : SampleContextListener.store(getServletContext()).list()) {
            files.add(file.toJson());
        }
        JsonResponses.send(response, HttpServletResponse.SC_OK, Map.of("files", files));
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        String id = path == null ? "" : path.substring(1);
        if (SampleContextListener.store(getServletContext()).delete(id)) {
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } else {
            JsonResponses.error(response, HttpServletResponse.SC_NOT_FOUND, "no stored file with id " + abbreviate(id));
        }
    }

    private static String abbreviate(String id) {
        return id.length() <= 40 ? id : id.substring(0, 40) + "...";
    }
}
