package io.spillway.servlet.resumable;

import io.spillway.servlet.testing.RecordingServlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.servlet.protocol.AssembledRequest;
import io.spillway.servlet.testing.ContentRangeSlices;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content-Range slices over real HTTP, through {@code MemoryAwareUploadFilter} on an embedded
 * Tomcat: assembly, the THREATS grammar matrix, conflicts, concurrency, ids, limits; after every
 * refusal the upload's state and the disk are unchanged.
 */
class ContentRangeHttpTest {

    private static final int SLICE = 5_000_000;
    private static final long MAX_FILE = 100L << 20;

    @TempDir
    static Path tempDir;

    @RegisterExtension
    static final SharedResumableServer server = new SharedResumableServer(() -> tempDir, "1s",
            "every test finishes or abandons nothing on disk");

    @Test
    void shuffledFiveMegabyteSlices_withOneRetransmission_reachTheApplicationAsOnePart() throws Exception {
        byte[] file = GeneratedStream.bytes(1, (32 << 20) + 12_345);
        List<int[]> slices = slices(file.length, SLICE);
        Collections.shuffle(slices, new Random(3));
        slices.add(slices.size() - 1, slices.get(1));
        String id = null;
        HttpResponse<String> last = null;
        for (int[] s : slices) {
            last = Http.send(chunk(id, file, s[0], s[1]).build());
            if (id == null) {
                id = last.headers().firstValue("Upload-Id").orElseThrow();
            }
            assertEquals(200, last.statusCode(), last.body());
        }
        Map<String, Object> delivered = Json.parseObject(last.body());
        assertEquals(List.of(Map.of("name", "file", "fileName", "big.bin", "contentType", "application/octet-stream",
                "size", (long) file.length, "sha256", Disk.sha256(file, 0, file.length))), delivered.get("parts"));
        assertEquals(AssembledRequest.CONTENT_TYPE, delivered.get("contentType"));
        assertNull(delivered.get("contentRange"), "the application never sees a chunk");
        assertEquals(1, server.app.deliveries.size());
    }

    @Test
    void intermediateChunks_answerJsonWithTheContiguousRange() throws Exception {
        byte[] file = GeneratedStream.bytes(2, 1000);
        HttpResponse<String> first = Http.send(chunk(null, file, 0, 300).build());
        String id = first.headers().firstValue("Upload-Id").orElseThrow();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals("bytes=0-299", first.headers().firstValue("Range").orElseThrow());
        HttpResponse<String> gap = Http.send(chunk(id, file, 500, 700).build());
        assertEquals(Map.of("uploadId", id, "received", 300L, "total", 1000L, "complete", false,
                "ranges", List.of(List.of(0L, 299L), List.of(500L, 699L))), Json.parseObject(gap.body()));
        HttpResponse<String> status = Http.send(query(id, 1000).build());
        assertEquals(200, status.statusCode());
        assertEquals(gap.body(), status.body());
        assertEquals("bytes=0-299", status.headers().firstValue("Range").orElseThrow());
        forget(id);
    }

    @Test
    void grammarMatrix_refusesWith400_andChangesNothing() throws Exception {
        byte[] file = GeneratedStream.bytes(4, 13);
        HttpResponse<String> ok = Http.send(chunk(null, file, 0, 8).header("Content-Range", "bytes 0-7/13").build());
        assertEquals(200, ok.statusCode(), ok.body());
        String id = ok.headers().firstValue("Upload-Id").orElseThrow();
        Map<String, String> before = Disk.snapshot(tempDir);
        for (String header : List.of("apples 0-7/13", "bytes=0-7/13", "bytes 9-7/13", "bytes -7/13", "bytes 0-5/",
                "bytes 0-13/13", "bytes 0-99999999999999999999/13", "bytes 99999999999999999999-7/13",
                "bytes 0-7/99999999999999999999", "bytes 0-7/*")) {
            HttpResponse<String> refused = Http.send(raw(id, "POST", header, new byte[8]).build());
            assertEquals(400, refused.statusCode(), header + ": " + refused.body());
            assertEquals(before, Disk.snapshot(tempDir), header);
        }
        assertEquals(8L, Json.parseObject(Http.send(query(id, 13).build()).body()).get("received"));
        assertEquals(0, server.app.deliveries.size());
        forget(id);
    }

    @Test
    void bodyLengthDifferentFromTheRange_is400_declaredOrStreamed() throws Exception {
        byte[] file = GeneratedStream.bytes(5, 1000);
        String id = begin(file, 100);
        Map<String, String> before = Disk.snapshot(tempDir);
        HttpResponse<String> declared = Http.send(raw(id, "PUT", "bytes 100-199/1000", new byte[50]).build());
        assertEquals(400, declared.statusCode(), declared.body());
        HttpResponse<String> streamed = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Content-Range", "bytes 100-199/1000").header("Upload-Id", id)
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[150])))
                .build());
        assertEquals(400, streamed.statusCode(), streamed.body());
        assertEquals(before, Disk.snapshot(tempDir));
        forget(id);
    }

    @Test
    void totalChangedMidway_is409_andChangesNothing() throws Exception {
        byte[] file = GeneratedStream.bytes(6, 1000);
        String id = begin(file, 100);
        HttpResponse<String> refused = sendRefusedWithoutChange(409, raw(id, "POST", "bytes 100-199/2000",
                new byte[100]));
        assertEquals("total length changed from 1000 to 2000\n", refused.body());
        forget(id);
    }

    @Test
    void overlappingChunkWithOtherBytes_is409_sameBytesAreIdempotent() throws Exception {
        byte[] file = GeneratedStream.bytes(7, 1000);
        String id = begin(file, 600);
        byte[] other = file.clone();
        other[550] ^= 0x55;
        HttpResponse<String> refused = sendRefusedWithoutChange(409, chunk(id, other, 500, 1000));
        assertEquals("bytes 500-599 differ from the bytes already received\n", refused.body());
        assertEquals(200, Http.send(chunk(id, file, 0, 600).build()).statusCode());
        HttpResponse<String> done = Http.send(chunk(id, file, 500, 1000).build());
        assertEquals(Disk.sha256(file, 0, file.length), part(done).get("sha256"));
    }

    @Test
    void chunkAfterCompletion_is409() throws Exception {
        byte[] file = GeneratedStream.bytes(8, 1000);
        String id = begin(file, 1000);
        assertEquals(1, server.app.deliveries.size());
        assertEquals(Map.of(), Disk.awaitEmpty(tempDir));
        HttpResponse<String> late = Http.send(chunk(id, file, 0, 1000).build());
        assertEquals(409, late.statusCode());
        assertEquals("upload is already complete\n", late.body());
        HttpResponse<String> status = Http.send(query(id, 1000).build());
        assertEquals(true, Json.parseObject(status.body()).get("complete"));
        assertEquals(1, server.app.deliveries.size());
    }

    @Test
    void uploadWithAGap_neverCompletes() throws Exception {
        byte[] file = GeneratedStream.bytes(9, 10_000);
        String id = begin(file, 4999);
        HttpResponse<String> tail = Http.send(chunk(id, file, 5000, 10_000).build());
        assertEquals(false, Json.parseObject(tail.body()).get("complete"));
        assertEquals(200, Http.send(chunk(id, file, 0, 4999).build()).statusCode());
        Map<String, Object> status = Json.parseObject(Http.send(query(id, 10_000).build()).body());
        assertEquals(4999L, status.get("received"));
        assertEquals(false, status.get("complete"));
        assertEquals(0, server.app.deliveries.size());
        forget(id);
    }

    @Test
    void eightConcurrentRequestsForTheFinalChunk_completeExactlyOnce() throws Exception {
        byte[] file = GeneratedStream.bytes(10, 12_000_000);
        String id = begin(file, 10_000_000);
        List<CompletableFuture<HttpResponse<String>>> racing = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            racing.add(Http.client().sendAsync(chunk(id, file, 10_000_000, 12_000_000).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int delivered = 0;
        List<Integer> others = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : racing) {
            HttpResponse<String> response = f.get();
            if (response.statusCode() == 200 && response.body().contains("\"parts\"")) {
                delivered++;
                assertEquals(Disk.sha256(file, 0, file.length), part(response).get("sha256"));
            } else {
                others.add(response.statusCode());
            }
        }
        assertEquals(1, delivered);
        assertEquals(1, server.app.deliveries.size());
        assertTrue(Set.of(400, 409).containsAll(others), "superseded or already complete: " + others);
    }

    @Test
    void stalledRequestOnAHalfOpenSocket_letsGoOfTheUpload_andTheRetrySucceedsAtOnce() throws Exception {
        byte[] file = GeneratedStream.bytes(11, 2_000_000);
        String id = begin(file, 1_000_000);
        try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = stalled.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Range: bytes 1000000-1999999/2000000\r\nUpload-Id: " + id + "\r\n"
                    + "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(file, 1_000_000, 400_000);
            out.flush();
            Disk.awaitStagedBytes(tempDir, 400_000);
            HttpResponse<String> retry = Http.send(chunk(id, file, 1_000_000, 2_000_000).build());
            assertEquals(200, retry.statusCode(), "the first retry succeeds: " + retry.body());
            assertEquals(Disk.sha256(file, 0, file.length), part(retry).get("sha256"));
        }
        assertEquals(1, server.app.deliveries.size());
    }

    @Test
    void idsTheServerDidNotIssue_areRefused() throws Exception {
        byte[] file = GeneratedStream.bytes(12, 100);
        String id = begin(file, 50);
        Map<String, String> before = Disk.snapshot(tempDir);
        for (String bad : List.of("../x", "%00", "../../" + id, id.toUpperCase(java.util.Locale.ROOT), id + "0",
                "x".repeat(1_000))) {
            HttpResponse<String> refused = Http.send(raw(bad, "POST", "bytes 50-99/100", new byte[50]).build());
            assertEquals(400, refused.statusCode(), bad);
        }
        String unknown = "0123456789abcdef0123456789abcdef";
        assertEquals(404, Http.send(raw(unknown, "POST", "bytes 50-99/100", new byte[50]).build()).statusCode());
        assertEquals(404, Http.send(query(unknown, 100).build()).statusCode());
        assertEquals(before, Disk.snapshot(tempDir));
        forget(id);
    }

    @Test
    void anotherUsersUpload_is404_andNamesAreScopedToTheUser() throws Exception {
        byte[] file = GeneratedStream.bytes(13, 1000);
        HttpResponse<String> alice = Http.send(chunk(null, file, 0, 400).header(ResumableServer.USER_HEADER, "alice")
                .build());
        String id = alice.headers().firstValue("Upload-Id").orElseThrow();
        HttpResponse<String> bob = Http.send(chunk(id, file, 400, 1000).header(ResumableServer.USER_HEADER, "bob")
                .build());
        assertEquals(404, bob.statusCode());
        assertEquals(404, Http.send(query(id, 1000).build()).statusCode(), "anonymous cannot see it either");
        HttpResponse<String> bobsOwn = Http.send(chunk(null, file, 400, 1000)
                .header(ResumableServer.USER_HEADER, "bob").build());
        assertNotEquals(id, bobsOwn.headers().firstValue("Upload-Id").orElseThrow(), "same name, other user");
        HttpResponse<String> byName = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Content-Range", "bytes */1000").header("Content-Disposition", "attachment; filename=\"big.bin\"")
                .header(ResumableServer.USER_HEADER, "alice").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(id, Json.parseObject(byName.body()).get("uploadId"));
        HttpResponse<String> resumedByName = Http.send(chunk(null, file, 400, 1000)
                .header(ResumableServer.USER_HEADER, "alice").build());
        assertEquals(Disk.sha256(file, 0, file.length), part(resumedByName).get("sha256"));
        forget(bobsOwn.headers().firstValue("Upload-Id").orElseThrow());
    }

    @Test
    void multipartSlices_likeBlueimp_deliverThePartNameAndTheLastChunksFields() throws Exception {
        byte[] file = GeneratedStream.bytes(14, 300_000);
        String id = null;
        HttpResponse<String> last = null;
        for (int[] s : slices(file.length, 100_000)) {
            String boundary = "----blueimp" + s[0];
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nslice " + s[0]
                    + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"photo.jpg\""
                    + "\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(file, s[0], s[1] - s[0]);
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/upload"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .header("Content-Range", "bytes " + s[0] + "-" + (s[1] - 1) + "/" + file.length)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
            if (id != null) {
                request.header("Upload-Id", id);
            }
            last = Http.send(request.build());
            assertEquals(200, last.statusCode(), last.body());
            id = last.headers().firstValue("Upload-Id").orElseThrow();
        }
        Map<String, Object> delivered = Json.parseObject(last.body());
        List<?> parts = (List<?>) delivered.get("parts");
        assertEquals(2, parts.size(), "the file and the field of the completing chunk");
        assertEquals(Map.of("name", "files[]", "fileName", "photo.jpg", "contentType", "image/jpeg",
                "size", 300_000L, "sha256", Disk.sha256(file, 0, file.length)), parts.get(0));
        assertEquals("note", ((Map<?, ?>) parts.get(1)).get("name"));
        assertEquals(Map.of("note", List.of("slice 200000")), delivered.get("parameters"));
    }

    @Test
    void multipartChunkFarLargerThanItsRange_is400_andNothingIsStored() throws Exception {
        byte[] oversized = GeneratedStream.bytes(16, 3 << 20);
        String boundary = "----oversized";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"a.bin\""
                + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(oversized);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        byte[] bytes = body.toByteArray();
        HttpResponse<String> streamed = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Content-Range", "bytes 0-9/100")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build());
        assertEquals(400, streamed.statusCode(), streamed.body());
        assertEquals(Map.of(), Disk.awaitEmpty(tempDir));
        HttpResponse<String> declared = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Content-Range", "bytes 0-9/100")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        assertEquals(400, declared.statusCode(), declared.body());
        assertEquals("multipart chunk is larger than its Content-Range\n", declared.body());
    }

    @Test
    void declaredTotalOverMaxFileSize_is413_andNothingIsCreated() throws Exception {
        HttpResponse<String> refused = Http.send(raw(null, "POST", "bytes 0-9/" + (MAX_FILE + 1), new byte[10]).build());
        assertEquals(413, refused.statusCode());
        assertEquals(Map.of(), Disk.snapshot(tempDir));
    }

    @Test
    void declaredTotalOverFreeDisk_is507_andNothingIsCreated(@TempDir Path otherTemp) throws Exception {
        try (ResumableServer full = ResumableServer.start(Map.of("tempDirectory", otherTemp.toString(),
                "diskReserve", "1000TB"), new RecordingServlet())) {
            HttpResponse<String> refused = Http.send(HttpRequest.newBuilder(full.uri("/upload"))
                    .header("Content-Range", "bytes 0-9/10").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                    .build());
            assertEquals(507, refused.statusCode(), refused.body());
            assertEquals(Map.of(), Disk.snapshot(otherTemp));
        }
    }

    @Test
    void exclusiveEnd_fromHandWrittenClients_isAccepted() throws Exception {
        byte[] file = GeneratedStream.bytes(15, 1000);
        HttpResponse<String> first = Http.send(raw(null, "POST", "bytes 0-600/1000", java.util.Arrays.copyOf(file, 600))
                .header("Content-Disposition", "attachment; filename=\"x.bin\"").build());
        String id = first.headers().firstValue("Upload-Id").orElseThrow();
        assertEquals(600L, Json.parseObject(first.body()).get("received"));
        HttpResponse<String> last = Http.send(raw(id, "POST", "bytes 600-1000/1000",
                java.util.Arrays.copyOfRange(file, 600, 1000)).build());
        assertEquals(Disk.sha256(file, 0, file.length), part(last).get("sha256"));
    }

    // ---- helpers

    private static List<int[]> slices(int total, int size) {
        List<int[]> slices = new ArrayList<>();
        for (int from = 0; from < total; from += size) {
            slices.add(new int[] {from, Math.min(total, from + size)});
        }
        return slices;
    }

    private static HttpRequest.Builder chunk(String id, byte[] file, int from, int to) {
        return new ContentRangeSlices(server.uri("/upload"), "POST", "big.bin", file).request(id, from, to);
    }

    private static HttpRequest.Builder raw(String id, String method, String contentRange, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.uri("/upload"))
                .header("Content-Type", "application/octet-stream").header("Content-Range", contentRange)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (id != null) {
            builder.header("Upload-Id", id);
        }
        return builder;
    }

    private static HttpRequest.Builder query(String id, long total) {
        return HttpRequest.newBuilder(server.uri("/upload")).header("Content-Range", "bytes */" + total)
                .header("Upload-Id", id).PUT(HttpRequest.BodyPublishers.noBody());
    }

    /**
     * Sends {@code request} and asserts that it is refused with {@code status} and that the temp
     * directory is as it was before; returns the refusal.
     */
    private static HttpResponse<String> sendRefusedWithoutChange(int status, HttpRequest.Builder request) {
        Map<String, String> before = Disk.snapshot(tempDir);
        HttpResponse<String> refused = Http.send(request.build());
        assertEquals(status, refused.statusCode(), refused.body());
        assertEquals(before, Disk.snapshot(tempDir));
        return refused;
    }

    /** Sends the first {@code bytes} bytes of the file and returns the upload id. */
    private static String begin(byte[] file, int bytes) {
        HttpResponse<String> first = Http.send(chunk(null, file, 0, bytes).build());
        assertEquals(200, first.statusCode(), first.body());
        return first.headers().firstValue("Upload-Id").orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(HttpResponse<String> delivered) {
        assertEquals(200, delivered.statusCode(), delivered.body());
        List<Object> parts = (List<Object>) Json.parseObject(delivered.body()).get("parts");
        assertEquals(1, parts.size());
        return (Map<String, Object>) parts.get(0);
    }

    /**
     * Test cleanup only: removes an upload a test left unfinished on purpose, so that the next test
     * starts from an empty disk. Expiry itself is proven in the engine tests (injected clock) and in
     * {@code TusHttpTest} (a real sweeper).
     */
    private static void forget(String id) {
        Path dir = tempDir.resolve("resumable").resolve(id);
        assertTrue(java.nio.file.Files.isDirectory(dir), "upload " + id + " should exist");
        TestServer.deleteTree(dir);
    }
}
