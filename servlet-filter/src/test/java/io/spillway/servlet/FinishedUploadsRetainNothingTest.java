package io.spillway.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.servlet.testing.ForkedServer;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MultipartBody;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upload that has finished leaves nothing on the heap beyond its progress entry, which lives
 * for {@code progressRetention} (here 0): in a forked JVM at {@code -Xmx64m}, the heap after a full
 * collection is measured after a warm-up and again after ten thousand more uploads, half of them
 * buffered and half streamed to disk, each checked by digest. A leak of even 64 bytes per upload
 * (a tracked upload, a counter map entry, a listener) shows as 640 KB; measured without one: 2
 * to 4 bytes each.
 */
class FinishedUploadsRetainNothingTest {

    private static final int WARM_UP = 2_000;
    private static final int MEASURED = 10_000;
    private static final long LEAK_LIMIT_PER_UPLOAD = 64;
    private static final int CLIENTS = 4;

    @TempDir
    Path temp;

    @ParameterizedTest(name = "nonBlockingIntake={0}")
    @ValueSource(booleans = {false, true})
    void tenThousandFinishedUploads_leaveUnder64BytesEach_onTheHeap(boolean nonBlockingIntake) throws Exception {
        try (ForkedServer server = ForkedServer.start("64m", Map.of("tempDirectory", temp.resolve("spill").toString(),
                "diskReserve", "0", "inMemoryThreshold", "4KB", "progressRetention", "0s",
                "nonBlockingIntake", Boolean.toString(nonBlockingIntake)))) {
            upload(server, WARM_UP);
            long before = heapAfterGc(server);
            upload(server, MEASURED);
            long after = heapAfterGc(server);
            long perUpload = (after - before) / MEASURED;
            assertTrue(perUpload < LEAK_LIMIT_PER_UPLOAD, "heap after GC grew from " + before + " to " + after
                    + " bytes over " + MEASURED + " finished uploads: " + perUpload + " bytes each");
            assertTrue(server.isAlive());
            assertFalse(server.output().contains("OutOfMemoryError"), server.output());
        }
    }

    /** Sends {@code count} uploads from a few clients at once: even ones 2 KiB (buffered), odd ones 8 KiB (streamed). */
    private static void upload(ForkedServer server, int count) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int first = client;
                sent.add(clients.submit(() -> {
                    for (int i = first; i < count; i += CLIENTS) {
                        assertArrived(server, i, i % 2 == 0 ? 2_048 : 8_192);
                    }
                    return null;
                }));
            }
            for (Future<?> done : sent) {
                done.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static void assertArrived(ForkedServer server, long seed, long size) {
        HttpResponse<String> response = Http.post(server.uri("/upload"),
                new MultipartBody().generatedFile("file", "f.bin", seed, size).end());
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> json = Http.json(response);
        @SuppressWarnings("unchecked")
        Map<String, Object> part = ((List<Map<String, Object>>) json.get("parts")).get(0);
        assertEquals(GeneratedStream.sha256Of(seed, size), part.get("sha256"));
        assertEquals(size <= 4_096 ? "BUFFERED" : "STREAMED", json.get("route"));
    }

    private static long heapAfterGc(ForkedServer server) {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(server.uri("/heap"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, response.statusCode(), response.body());
        return Long.parseLong(response.body().trim());
    }
}
