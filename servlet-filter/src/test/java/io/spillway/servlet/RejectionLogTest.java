package io.spillway.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MultipartBody;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.TestServer;
import io.spillway.servlet.testing.TestServers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One log line per rejected upload, with its reason and no file content; client text escaped. The
 * filter logs through {@code System.Logger}, which writes to {@code java.util.logging} by default, so
 * a JUL handler on the logger of that name sees the lines.
 */
class RejectionLogTest {

    private static final Logger LOG = Logger.getLogger(MemoryAwareUploadFilter.class.getName());

    @TempDir
    Path temp;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    @RegisterExtension
    final TestServers servers = new TestServers();

    private TestServer server;

    @BeforeEach
    void listen() {
        LOG.addHandler(capture);
    }

    @AfterEach
    void stop() {
        LOG.removeHandler(capture);
    }

    @Test
    void rejectedUpload_logsOneLine_withStatusReasonAndRequest_butNoContent() {
        server = servers.start(TestServer.builder()
                .filter(new MemoryAwareUploadFilter(), Map.of("tempDirectory", temp.resolve("spill").toString(),
                        "maxFileSize", "1KB", "maxRequestSize", "1KB", "diskReserve", "0"), "/upload/*")
                .servlet("/upload/*", new PartsEchoServlet()));
        byte[] secret = "TOP-SECRET-CONTENT ".repeat(100).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = Http.postChunked(server.uri("/upload/a%0Ab?progressId=log-1"),
                new MultipartBody().file("doc", "s.txt", secret).end());
        assertEquals(413, response.statusCode());

        List<String> lines = records.stream().map(LogRecord::getMessage)
                .filter(m -> m.startsWith("upload rejected")).toList();
        assertEquals(List.of("upload rejected: 413 request body exceeds maxRequestSize 1.0 KiB "
                + "[POST /upload/a%0Ab from 127.0.0.1, upload log-1]"), lines);
        assertEquals(Level.INFO, records.stream().filter(r -> r.getMessage().startsWith("upload rejected"))
                .findFirst().orElseThrow().getLevel());
        assertFalse(records.stream().anyMatch(r -> String.valueOf(r.getMessage()).contains("TOP-SECRET")));
    }

    @Test
    void clientText_isEscapedAndCut() {
        assertEquals("a\\u000d\\u000ab\\u0000\\u00e9\\\\ok", UploadOperations.escape("a\r\nb\u0000é\\ok"));
        String escaped = UploadOperations.escape("x".repeat(1000));
        assertEquals(203, escaped.length());
        assertTrue(escaped.endsWith("..."));
        assertEquals("null", UploadOperations.escape(null));
    }
}
