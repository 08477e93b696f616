package io.spillway.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.progress.UploadProgress;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.TestServer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress hook for resumable protocols ({@link UploadTracking}), proven with a minimal fake
 * protocol until the real Content-Range and tus protocols are installed: the upload id is the
 * progress id, bytes of each chunk count on top of what is stored, the entry survives between
 * chunks, and the request that completes the upload ends it as done.
 */
class ResumableProgressHookTest {

    private static final int TOTAL = 600_000;

    @TempDir
    Path temp;

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void chunksReportProgressUnderTheUploadId_andTheLastOneEndsDone() throws Exception {
        MemoryAwareUploadFilter filter = new MemoryAwareUploadFilter();
        server = TestServer.builder()
                .filter(filter, Map.of("tempDirectory", temp.resolve("spill").toString(), "diskReserve", "0"), "/upload")
                .servlet("/upload", new PartsEchoServlet())
                .servlet("/spillway/progress", new UploadProgressServlet())
                .start();
        installProtocol(filter, new FakeChunkProtocol(Files.createDirectories(temp.resolve("chunks"))));
        byte[] file = GeneratedStream.bytes(51, TOTAL);

        assertEquals(204, chunk("res-1", 0, Arrays.copyOfRange(file, 0, TOTAL / 3)).statusCode());
        Map<String, Object> paused = progress("res-1");
        assertEquals("receiving", paused.get("state"));
        assertEquals((long) TOTAL / 3, paused.get("bytesReceived"));
        assertEquals((long) TOTAL, paused.get("totalBytes"));

        HttpResponse<String> last = chunk("res-1", TOTAL / 3, Arrays.copyOfRange(file, TOTAL / 3, TOTAL));
        assertEquals(200, last.statusCode(), last.body());
        Map<String, Object> delivered = Http.json(last);
        assertEquals("STREAMED", delivered.get("route"));
        assertEquals((long) TOTAL, ((Map<?, ?>) ((List<?>) delivered.get("files")).get(0)).get("size"));
        Map<String, Object> done = progress("res-1");
        assertEquals("done", done.get("state"));
        assertEquals((long) TOTAL, done.get("bytesReceived"));
        assertEquals(Map.of("BUFFERED", 0L, "STREAMED", 1L), filter.monitor().counters().routedByRoute());
        assertEquals(0, filter.monitor().active().count());
    }

    private HttpResponse<String> chunk(String id, long offset, byte[] bytes) {
        return Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Test-Chunk", id + "/" + offset + "/" + TOTAL)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    private Map<String, Object> progress(String id) {
        return Http.json(Http.send(HttpRequest.newBuilder(server.uri("/spillway/progress?id=" + id)).GET().build()));
    }

    private static void installProtocol(MemoryAwareUploadFilter filter, UploadProtocol protocol) throws Exception {
        Field protocols = MemoryAwareUploadFilter.class.getDeclaredField("protocols");
        protocols.setAccessible(true);
        protocols.set(filter, List.of(protocol));
    }

    /** Appends the body at the offset in {@code Test-Chunk: id/offset/total}; completes at the total. */
    private record FakeChunkProtocol(Path directory) implements UploadProtocol {

        @Override
        public boolean matches(HttpServletRequest request) {
            return request.getHeader("Test-Chunk") != null;
        }

        @Override
        public Optional<CompletedUpload> handle(HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            String[] fields = request.getHeader("Test-Chunk").split("/");
            String id = fields[0];
            long offset = Long.parseLong(fields[1]);
            long total = Long.parseLong(fields[2]);
            UploadProgress progress = UploadTracking.progress(request, id, total, offset);
            Path file = directory.resolve(id);
            try (InputStream in = request.getInputStream();
                 OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                in.transferTo(out);
            }
            long size = Files.size(file);
            if (size < total) {
                response.setStatus(204);
                return Optional.empty();
            }
            progress.assembling();
            assertTrue(size == total);
            return Optional.of(new CompletedUpload(id, "file", "whole.bin", "application/octet-stream", file, size,
                    Map.of(), () -> { }));
        }
    }
}
