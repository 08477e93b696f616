package io.spillway.servlet.hardening;

import io.spillway.core.internal.json.Json;
import io.spillway.core.upload.UploadRecord;
import io.spillway.servlet.MemoryAwareUploadFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An application that looks at where Spillway put each file while the request is still running:
 * the storage path, whether it is a regular file inside the temp directory, its permissions and the
 * sanitized name. With {@code ?write=1} it also does what careless applications do,
 * {@code part.write(part.getSubmittedFileName())}, reports where that landed and deletes it.
 */
final class StorageInspectorServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        MemoryAwareUploadFilter filter = (MemoryAwareUploadFilter) getServletContext()
                .getAttribute(MemoryAwareUploadFilter.FILTER_ATTRIBUTE);
        Path root = filter.storage().root();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("root", root.toString());
        result.put("rootPermissions", permissions(root));
        List<Object> files = new ArrayList<>();
        UploadRecord record = (UploadRecord) request.getAttribute(MemoryAwareUploadFilter.UPLOAD_ATTRIBUTE);
        for (UploadRecord.FileRecord file : record.files()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("fileName", file.fileName());
            f.put("storagePath", String.valueOf(file.storagePath()));
            if (file.storagePath() != null) {
                Path path = file.storagePath();
                f.put("storageName", path.getFileName().toString());
                f.put("insideRoot", path.toAbsolutePath().normalize().getParent().equals(root));
                f.put("regularFile", Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS));
                f.put("permissions", permissions(path));
            }
            files.add(f);
        }
        result.put("files", files);
        List<Object> submitted = new ArrayList<>();
        List<Object> written = new ArrayList<>();
        for (Part part : request.getParts()) {
            if (part.getSubmittedFileName() == null) {
                continue;
            }
            submitted.add(part.getSubmittedFileName());
            if ("1".equals(request.getParameter("write")) && !part.getSubmittedFileName().isEmpty()) {
                written.add(writeAsSubmitted(part, root));
            }
        }
        result.put("submittedFileNames", submitted);
        result.put("written", written);
        byte[] body = Json.write(result).getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static Map<String, Object> writeAsSubmitted(Part part, Path root) throws IOException {
        part.write(part.getSubmittedFileName());
        Path landed = root.resolve(part.getSubmittedFileName()).toAbsolutePath().normalize();
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("path", landed.toString());
        w.put("insideRoot", landed.getParent().equals(root) && Files.isRegularFile(landed, LinkOption.NOFOLLOW_LINKS));
        Files.deleteIfExists(landed);
        return w;
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
