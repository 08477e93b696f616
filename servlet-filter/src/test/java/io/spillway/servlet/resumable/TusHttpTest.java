package io.spillway.servlet.resumable;

import io.spillway.servlet.testing.RecordingServlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * tus 1.0 over real HTTP through {@code MemoryAwareUploadFilter}: discovery, creation (with and
 * without upload), HEAD, PATCH, checksum, termination, expiration, and the status codes tusd uses.
 */
class TusHttpTest {

    private static final String METADATA = "filename " + b64("report.pdf") + ",filetype " + b64("application/pdf")
            + ",empty";

    @TempDir
    static Path tempDir;

    @RegisterExtension
    static final SharedResumableServer server = new SharedResumableServer(() -> tempDir, "30s");

    @Test
    void options_advertisesTheProtocol() {
        HttpResponse<String> options = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(204, options.statusCode());
        assertEquals("1.0.0", header(options, "Tus-Version"));
        assertEquals("1.0.0", header(options, "Tus-Resumable"));
        assertEquals(List.of("creation", "creation-with-upload", "termination", "checksum", "expiration"),
                List.of(header(options, "Tus-Extension").split(",")));
        assertEquals(Long.toString(100L << 20), header(options, "Tus-Max-Size"));
        assertTrue(header(options, "Tus-Checksum-Algorithm").contains("sha1"));
    }

    @Test
    void creationHeadAndPatches_deliverOnePartWithTheHeadersTusClientsCheck() throws Exception {
        byte[] file = GeneratedStream.bytes(21, 100_000);
        HttpResponse<String> created = create(file.length, METADATA);
        assertEquals(201, created.statusCode(), created.body());
        String location = header(created, "Location");
        assertTrue(location.matches("/upload/[0-9a-f]{32}"), location);
        ZonedDateTime expires = ZonedDateTime.parse(header(created, "Upload-Expires"), DateTimeFormatter.RFC_1123_DATE_TIME);
        assertTrue(expires.isAfter(ZonedDateTime.now().plusHours(23)), expires.toString());

        HttpResponse<String> head = head(location);
        assertEquals(200, head.statusCode());
        assertEquals("0", header(head, "Upload-Offset"));
        assertEquals("100000", header(head, "Upload-Length"));
        assertEquals(METADATA, header(head, "Upload-Metadata"));
        assertEquals("no-store", header(head, "Cache-Control"));

        HttpResponse<String> first = Http.send(patch(location, 0, Arrays.copyOfRange(file, 0, 60_000)).build());
        assertEquals(204, first.statusCode(), first.body());
        assertEquals("60000", header(first, "Upload-Offset"));
        assertEquals("1.0.0", header(first, "Tus-Resumable"));
        assertEquals("60000", header(head(location), "Upload-Offset"));

        HttpResponse<String> last = Http.send(patch(location, 60_000, Arrays.copyOfRange(file, 60_000, 100_000))
                .build());
        assertEquals(200, last.statusCode(), last.body());
        assertEquals("100000", header(last, "Upload-Offset"));
        assertEquals("1.0.0", header(last, "Tus-Resumable"));
        assertEquals(List.of(Map.of("name", "file", "fileName", "report.pdf", "contentType", "application/pdf",
                "size", 100_000L, "sha256", Disk.sha256(file, 0, file.length))), Json.parseObject(last.body()).get("parts"));
        assertEquals(1, server.app.deliveries.size());
    }

    @Test
    void patchThroughMethodOverride_isUnderstood() {
        byte[] file = GeneratedStream.bytes(22, 1000);
        String location = header(create(file.length, ""), "Location");
        HttpResponse<String> done = Http.send(HttpRequest.newBuilder(server.uri(location))
                .header("Tus-Resumable", "1.0.0").header("X-HTTP-Method-Override", "PATCH")
                .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(file)).build());
        assertEquals(200, done.statusCode(), done.body());
        assertEquals("1000", header(done, "Upload-Offset"));
    }

    @Test
    void offsetMismatch_is409_andChangesNothing() {
        byte[] file = GeneratedStream.bytes(23, 1000);
        String location = header(create(file.length, ""), "Location");
        Http.send(patch(location, 0, Arrays.copyOf(file, 400)).build());
        Map<String, String> before = Disk.snapshot(tempDir);
        HttpResponse<String> refused = Http.send(patch(location, 200, Arrays.copyOfRange(file, 200, 400)).build());
        assertEquals(409, refused.statusCode());
        assertEquals("1.0.0", header(refused, "Tus-Resumable"));
        assertEquals(before, Disk.snapshot(tempDir));
        terminate(location);
    }

    @Test
    void wrongContentType_is415_andUnknownVersion_is412() {
        String location = header(create(1000, ""), "Location");
        HttpResponse<String> wrongType = Http.send(HttpRequest.newBuilder(server.uri(location))
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0").header("Content-Type", "text/plain")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10])).build());
        assertEquals(415, wrongType.statusCode());
        HttpResponse<String> oldVersion = Http.send(HttpRequest.newBuilder(server.uri(location))
                .header("Tus-Resumable", "0.2.2").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(412, oldVersion.statusCode());
        assertEquals("1.0.0", header(oldVersion, "Tus-Version"));
        terminate(location);
    }

    @Test
    void checksum_mismatchIs460_matchIsStored_unknownAlgorithmIs400() throws Exception {
        byte[] file = GeneratedStream.bytes(24, 1000);
        String location = header(create(file.length, ""), "Location");
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(Arrays.copyOf(file, 500));
        byte[] wrong = sha1.clone();
        wrong[3] ^= 1;
        Map<String, String> before = Disk.snapshot(tempDir);
        HttpResponse<String> mismatch = Http.send(patch(location, 0, Arrays.copyOf(file, 500))
                .header("Upload-Checksum", "sha1 " + Base64.getEncoder().encodeToString(wrong)).build());
        assertEquals(460, mismatch.statusCode());
        assertEquals(before, Disk.snapshot(tempDir));
        HttpResponse<String> unknown = Http.send(patch(location, 0, Arrays.copyOf(file, 500))
                .header("Upload-Checksum", "crc32 AAAAAA==").build());
        assertEquals(400, unknown.statusCode());
        HttpResponse<String> match = Http.send(patch(location, 0, Arrays.copyOf(file, 500))
                .header("Upload-Checksum", "sha1 " + Base64.getEncoder().encodeToString(sha1)).build());
        assertEquals(204, match.statusCode());
        assertEquals("500", header(match, "Upload-Offset"));
        terminate(location);
    }

    @Test
    void lengthOverMaxFileSize_is413_andNothingIsCreated() {
        HttpResponse<String> refused = create((100L << 20) + 1, "");
        assertEquals(413, refused.statusCode());
        assertEquals(Map.of(), Disk.snapshot(tempDir));
        HttpResponse<String> malformed = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", "-5")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(400, malformed.statusCode());
    }

    @Test
    void patchLongerThanTheUpload_is413_andChangesNothing() {
        String location = header(create(1000, ""), "Location");
        Map<String, String> before = Disk.snapshot(tempDir);
        assertEquals(413, Http.send(patch(location, 0, new byte[1001]).build()).statusCode());
        assertEquals(before, Disk.snapshot(tempDir));
        terminate(location);
    }

    @Test
    void termination_deletesEverything_thenTheUploadIsGone() {
        String location = header(create(1000, ""), "Location");
        Http.send(patch(location, 0, new byte[100]).build());
        assertEquals(204, terminate(location).statusCode());
        assertEquals(Map.of(), Disk.snapshot(tempDir));
        assertEquals(410, head(location).statusCode());
        assertEquals(410, Http.send(patch(location, 100, new byte[100]).build()).statusCode());
    }

    @Test
    void unknownOrMalformedIds_areRefused() {
        assertEquals(404, head("/upload/0123456789abcdef0123456789abcdef").statusCode());
        assertEquals(404, head("/upload/not-an-id").statusCode());
        assertEquals(400, head("/upload/%2e%2e%2fx").statusCode(), "Tomcat itself refuses an encoded '/'");
        assertEquals(404, Http.send(patch("/upload/" + "a".repeat(2000), 0, new byte[1]).build()).statusCode());
    }

    @Test
    void anotherUsersUpload_is404() {
        HttpResponse<String> created = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", "10")
                .header(ResumableServer.USER_HEADER, "alice").POST(HttpRequest.BodyPublishers.noBody()).build());
        String location = header(created, "Location");
        HttpResponse<String> bob = Http.send(HttpRequest.newBuilder(server.uri(location))
                .header("Tus-Resumable", "1.0.0").header(ResumableServer.USER_HEADER, "bob")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(404, bob.statusCode());
        assertEquals(204, Http.send(HttpRequest.newBuilder(server.uri(location)).header("Tus-Resumable", "1.0.0")
                .header(ResumableServer.USER_HEADER, "alice").DELETE().build()).statusCode());
    }

    @Test
    void creationWithUpload_ofAWholeSmallFile_reachesTheApplication() {
        byte[] file = GeneratedStream.bytes(25, 5000);
        HttpResponse<String> done = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", "5000")
                .header("Upload-Metadata", "filename " + b64("notes.txt") + ",fieldName " + b64("attachment"))
                .header("Content-Type", "application/offset+octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(file)).build());
        assertEquals(200, done.statusCode(), done.body());
        assertTrue(header(done, "Location").startsWith("/upload/"));
        assertEquals("5000", header(done, "Upload-Offset"));
        assertEquals(List.of(Map.of("name", "attachment", "fileName", "notes.txt", "contentType",
                "application/octet-stream", "size", 5000L, "sha256", Disk.sha256(file, 0, file.length))),
                Json.parseObject(done.body()).get("parts"));
    }

    @Test
    void creationWithUpload_ofAPart_answers201WithTheOffset() {
        HttpResponse<String> created = Http.send(HttpRequest.newBuilder(server.uri("/upload"))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", "5000")
                .header("Content-Type", "application/offset+octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2000])).build());
        assertEquals(201, created.statusCode());
        assertEquals("2000", header(created, "Upload-Offset"));
        terminate(header(created, "Location"));
    }

    @Test
    void zeroLengthUpload_isDeliveredAtCreation() {
        HttpResponse<String> done = create(0, "filename " + b64("empty.txt"));
        assertEquals(200, done.statusCode(), done.body());
        assertEquals(0L, ((Map<?, ?>) ((List<?>) Json.parseObject(done.body()).get("parts")).get(0)).get("size"));
    }

    @Test
    void patchWhileAnotherOneStalls_makesTheStalledOneLetGo_keepingWhatArrived_andMayResendIt() throws Exception {
        byte[] file = GeneratedStream.bytes(26, 1_000_000);
        String location = header(create(file.length, ""), "Location");
        try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = stalled.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
                    + "Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\n"
                    + "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(file, 0, 400_000);
            out.flush();
            Disk.awaitStagedBytes(tempDir, 400_000);
            HttpResponse<String> concurrent = Http.send(patch(location, 0, Arrays.copyOf(file, 1000)).build());
            assertEquals(204, concurrent.statusCode(), "the stalled PATCH let go at once and kept its bytes; "
                    + "the new one, resending bytes it kept, is compared with them: " + concurrent.body());
            assertEquals("400000", header(concurrent, "Upload-Offset"));
            stalled.setSoTimeout(10_000);
            String answer = new String(stalled.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("superseded by a newer request for this upload"), answer);
        }
        HttpResponse<String> head = head(location);
        assertEquals("400000", header(head, "Upload-Offset"), "the bytes of the stalled PATCH are kept");
        HttpResponse<String> done = Http.send(patch(location, 400_000, Arrays.copyOfRange(file, 400_000, 1_000_000))
                .build());
        assertEquals(200, done.statusCode(), done.body());
        assertEquals(Disk.sha256(file, 0, file.length),
                ((Map<?, ?>) ((List<?>) Json.parseObject(done.body()).get("parts")).get(0)).get("sha256"));
    }

    @Test
    void abandonedUpload_isSweptAfterExpiry(@TempDir Path otherTemp) throws Exception {
        try (ResumableServer expiring = ResumableServer.start(Map.of("tempDirectory", otherTemp.toString(),
                "diskReserve", "0", "uploadExpiry", "5s"), new RecordingServlet())) {
            HttpResponse<String> created = Http.send(HttpRequest.newBuilder(expiring.uri("/upload"))
                    .header("Tus-Resumable", "1.0.0").header("Upload-Length", "5000")
                    .header("Content-Type", "application/offset+octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2000])).build());
            assertEquals(201, created.statusCode());
            assertFalse(Disk.snapshot(otherTemp).isEmpty());
            assertEquals(Map.of(), Disk.awaitEmpty(otherTemp), "the sweeper deletes every byte and state file");
            HttpResponse<String> gone = Http.send(HttpRequest.newBuilder(expiring.uri(header(created, "Location")))
                    .header("Tus-Resumable", "1.0.0").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(410, gone.statusCode());
            try (var dirs = Files.list(otherTemp.resolve("resumable"))) {
                assertEquals(List.of("ended", "staging"), dirs.map(p -> p.getFileName().toString()).sorted().toList(),
                        "only the record that the upload expired is left, besides the empty staging directory");
                assertEquals(java.util.Set.of(header(created, "Location").substring("/upload/".length())),
                        Disk.endings(otherTemp));
            }
        }
    }

    // ---- helpers

    /** Waits until a PATCH being received has staged this many bytes: it holds the upload's writer lease. */
    private static HttpResponse<String> create(long length, String metadata) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/upload")).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", Long.toString(length)).POST(HttpRequest.BodyPublishers.noBody());
        if (!metadata.isEmpty()) {
            request.header("Upload-Metadata", metadata);
        }
        return Http.send(request.build());
    }

    private static HttpResponse<String> head(String location) {
        return Http.send(HttpRequest.newBuilder(uri(location)).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    private static HttpRequest.Builder patch(String location, long offset, byte[] body) {
        return HttpRequest.newBuilder(uri(location)).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static HttpResponse<String> terminate(String location) {
        return Http.send(HttpRequest.newBuilder(uri(location)).header("Tus-Resumable", "1.0.0").DELETE().build());
    }

    private static URI uri(String location) {
        return server.uri(location);
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
