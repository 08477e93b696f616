package io.spillway.benchmarks.harness.server;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Server N, the floor of non-blocking reading: a {@code ReadListener} copies the raw request body
 * to a file while digesting it, holding no thread and no buffer between callbacks, with no
 * multipart parsing. What one upload in flight costs here is what the container itself costs.
 */
final class NonBlockingRawBodyServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int CHUNK = 16 * 1024;

    private final transient Path directory;

    NonBlockingRawBodyServlet(Path directory) {
        this.directory = directory;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Path file = Files.createTempFile(directory, "n-", ".body");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        ServletInputStream in = request.getInputStream();
        in.setReadListener(new Copy(in, channel, file, async, response));
    }

    /** Copies what is there each time the container says so; answers at the end. */
    private static final class Copy implements ReadListener {
        private final ServletInputStream in;
        private final FileChannel channel;
        private final Path file;
        private final AsyncContext async;
        private final HttpServletResponse response;
        private final DigestingCopy work = new DigestingCopy();

        Copy(ServletInputStream in, FileChannel channel, Path file, AsyncContext async, HttpServletResponse response) {
            this.in = in;
            this.channel = channel;
            this.file = file;
            this.async = async;
            this.response = response;
        }

        @Override
        public void onDataAvailable() throws IOException {
            byte[] buffer = new byte[CHUNK];
            while (in.isReady()) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                work.update(buffer, 0, n);
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            try {
                close();
                work.respond(response);
            } finally {
                async.complete();
            }
        }

        @Override
        public void onError(Throwable failure) {
            try {
                close();
            } catch (IOException ignored) {
                // the client is gone; the file is deleted either way
            }
            async.complete();
        }

        private void close() throws IOException {
            channel.close();
            Files.deleteIfExists(file);
        }
    }
}
