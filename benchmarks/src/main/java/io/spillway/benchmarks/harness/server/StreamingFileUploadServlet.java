package io.spillway.benchmarks.harness.server;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;

/**
 * Server D: Commons FileUpload2's streaming API the way its documentation shows it: iterate the
 * items and copy each one to a file, digesting it on the way. The files are deleted after the
 * answer, as a container deletes its part files.
 */
final class StreamingFileUploadServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    StreamingFileUploadServlet(Path directory) {
        this.directory = directory;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory> upload = new JakartaServletFileUpload<>();
        DigestingCopy work = new DigestingCopy();
        List<Path> files = new ArrayList<>();
        try {
            FileItemInputIterator items = upload.getItemIterator(request);
            while (items.hasNext()) {
                FileItemInput item = items.next();
                Path file = Files.createTempFile(directory, "d-", ".part");
                files.add(file);
                try (InputStream in = item.getInputStream(); OutputStream out = Files.newOutputStream(file)) {
                    work.consume(in, out);
                }
            }
            work.respond(response);
        } finally {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }
}
