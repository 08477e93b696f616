package io.spillway.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.servlet.testing.ForkedServer;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MultipartBody;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory claims, proven in a forked JVM with a small heap and byte-for-byte digests of what arrived.
 */
class MemoryLimitTest {

    private static final long TWO_GIB = 2L << 30;
    private static final long SIXTY_FOUR_MIB = 64L << 20;

    @TempDir
    Path temp;

    @Test
    void twoGibUpload_atXmx64m_withContentLength_andChunked_arrivesIntact() throws Exception {
        try (ForkedServer server = ForkedServer.start("64m", Map.of("tempDirectory", temp.resolve("spill").toString(),
                "diskReserve", "0", "maxFileSize", "3GB", "maxRequestSize", "3GB"))) {
            String expected = GeneratedStream.sha256Of(42, TWO_GIB);
            HttpResponse<String> known = Http.post(server.uri("/upload"),
                    new MultipartBody().generatedFile("file", "big.bin", 42, TWO_GIB).end());
            assertUpload(server, known, expected, "STREAMED");
            HttpResponse<String> chunked = Http.postChunked(server.uri("/upload"),
                    new MultipartBody().generatedFile("file", "big.bin", 42, TWO_GIB).end());
            assertUpload(server, chunked, expected, "BUFFERED");
            assertTrue(server.isAlive());
            assertFalse(server.output().contains("OutOfMemoryError"), server.output());
        }
    }

    @Test
    void twentyFourConcurrent64MibUploads_atXmx256m_allSucceed_evenWithAHighInMemoryThreshold() throws Exception {
        try (ForkedServer server = ForkedServer.start("256m", Map.of("tempDirectory", temp.resolve("spill").toString(),
                "diskReserve", "0", "inMemoryThreshold", "100MB"))) {
            ExecutorService clients = Executors.newFixedThreadPool(24);
            try {
                List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    long seed = 1000 + i;
                    uploads.add(CompletableFuture.supplyAsync(() -> Http.post(server.uri("/upload"),
                            new MultipartBody().generatedFile("file", "f" + seed + ".bin", seed, SIXTY_FOUR_MIB).end()), clients));
                }
                int buffered = 0;
                for (int i = 0; i < 24; i++) {
                    HttpResponse<String> response = uploads.get(i).join();
                    assertEquals(200, response.statusCode(), response.body());
                    Map<String, Object> json = Http.json(response);
                    assertEquals(GeneratedStream.sha256Of(1000 + i, SIXTY_FOUR_MIB), firstPart(json).get("sha256"));
                    buffered += "BUFFERED".equals(json.get("route")) ? 1 : 0;
                }
                assertTrue(buffered < 24, "the budget must have streamed some of them");
            } finally {
                clients.shutdownNow();
            }
            assertTrue(server.isAlive());
            assertFalse(server.output().contains("OutOfMemoryError"), server.output());
        }
    }

    private static void assertUpload(ForkedServer server, HttpResponse<String> response, String sha256, String route) {
        assertEquals(200, response.statusCode(), response.body() + server.output());
        Map<String, Object> json = Http.json(response);
        assertEquals(sha256, firstPart(json).get("sha256"));
        assertEquals(route, json.get("route"), String.valueOf(json.get("reason")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstPart(Map<String, Object> json) {
        return (Map<String, Object>) ((List<Object>) json.get("parts")).get(0);
    }
}
