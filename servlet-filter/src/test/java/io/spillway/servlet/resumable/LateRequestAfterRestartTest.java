package io.spillway.servlet.resumable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.servlet.testing.ContentRangeSlices;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.RecordingServlet;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server restarts between the request that completed an upload and a late retry of it (the
 * client never saw the answer). The restarted server, which never saw the upload in memory, still
 * knows it ended: tus answers 410, a Content-Range status query the completed answer and a late
 * slice 409, never 404. The application received the file once.
 */
class LateRequestAfterRestartTest {

    private static final Map<String, String> PARAMS = Map.of("maxFileSize", "10MB", "maxRequestSize", "10MB",
            "diskReserve", "0");

    @TempDir
    Path tempDir;

    @Test
    void tus_lateRetryOfTheLastPatch_afterARestart_is410() throws Exception {
        byte[] file = GeneratedStream.bytes(41, 300_000);
        RecordingServlet app = new RecordingServlet();
        String location;
        try (ResumableServer server = start(app)) {
            HttpResponse<String> created = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                    .header("Tus-Resumable", "1.0.0").header("Upload-Length", Integer.toString(file.length))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(201, created.statusCode(), created.body());
            location = created.headers().firstValue("Location").orElseThrow();
            HttpResponse<String> done = Http.send(lastPatch(server, location, file));
            assertEquals(200, done.statusCode(), done.body());
        }
        assertEquals(1, app.deliveries.size());
        try (ResumableServer restarted = start(new RecordingServlet())) {
            HttpResponse<String> late = Http.send(lastPatch(restarted, location, file));
            assertEquals(410, late.statusCode(), late.body());
            assertEquals("upload is already complete", late.body().strip());
            assertEquals("1.0.0", late.headers().firstValue("Tus-Resumable").orElse(null));
            HttpResponse<String> head = Http.send(HttpRequest.newBuilder(restarted.uri(location))
                    .header("Tus-Resumable", "1.0.0").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(410, head.statusCode());
        }
        assertEquals(Map.of(), Disk.snapshot(tempDir), "no byte of the upload is left");
        assertEquals(Set.of(location.substring(location.lastIndexOf('/') + 1)), Disk.endings(tempDir));
    }

    @Test
    void contentRange_lateLastSliceAndStatusQuery_afterARestart_getTheCompletedAnswer() throws Exception {
        byte[] file = GeneratedStream.bytes(42, 200_000);
        RecordingServlet app = new RecordingServlet();
        String id;
        try (ResumableServer server = start(app)) {
            HttpResponse<String> first = Http.send(slice(server, null, file, 0, 100_000));
            assertEquals(200, first.statusCode(), first.body());
            id = first.headers().firstValue("Upload-Id").orElseThrow();
            HttpResponse<String> last = Http.send(slice(server, id, file, 100_000, 200_000));
            assertTrue(last.body().contains("\"parts\""), last.body());
        }
        assertEquals(1, app.deliveries.size());
        try (ResumableServer restarted = start(new RecordingServlet())) {
            HttpResponse<String> late = Http.send(slice(restarted, id, file, 100_000, 200_000));
            assertEquals(409, late.statusCode(), late.body());
            assertEquals("upload is already complete", late.body().strip());
            HttpResponse<String> query = Http.send(HttpRequest.newBuilder(restarted.uri("/upload"))
                    .header("Content-Range", "bytes */" + file.length).header("Upload-Id", id)
                    .PUT(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, query.statusCode(), query.body());
            Map<String, Object> answer = Json.parseObject(query.body());
            assertEquals(Boolean.TRUE, answer.get("complete"), query.body());
        }
    }

    private ResumableServer start(RecordingServlet app) {
        Map<String, String> params = new java.util.HashMap<>(PARAMS);
        params.put("tempDirectory", tempDir.toString());
        return ResumableServer.start(params, app);
    }

    private static HttpRequest lastPatch(ResumableServer server, String location, byte[] file) {
        return HttpRequest.newBuilder(server.uri(location)).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file)).build();
    }

    private static HttpRequest slice(ResumableServer server, String id, byte[] file, int from, int to) {
        return new ContentRangeSlices(server.uri("/upload"), "PUT", "late.bin", file).request(id, from, to).build();
    }
}
