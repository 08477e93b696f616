package io.spillway.benchmarks.harness.server;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Server R, the reference: copies the raw request body to a file while digesting it, with no
 * multipart parsing at all. What it reaches is the limit of this machine for the same work.
 */
final class RawBodyServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    RawBodyServlet(Path directory) {
        this.directory = directory;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        DigestingCopy work = new DigestingCopy();
        Path file = Files.createTempFile(directory, "r-", ".body");
        try {
            try (InputStream in = request.getInputStream(); OutputStream out = Files.newOutputStream(file)) {
                work.consume(in, out);
            }
            work.respond(response);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
