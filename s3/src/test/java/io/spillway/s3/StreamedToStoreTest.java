package io.spillway.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.core.memory.MemoryBudget;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.upload.BufferReservations;
import io.spillway.s3.testing.Bucket;
import io.spillway.s3.testing.S3Sandbox;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.s3.testing.MultipartUpload;
import io.spillway.s3.testing.Node;
import io.spillway.s3.testing.PartsServlet;
import io.spillway.s3.testing.S3ProxyServer;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code streamedStorage=store}: single-request uploads on the streamed route are written straight
 * into the bucket of a real S3 API server (sandbox.server()), part by part, and the application still gets
 * {@code Part}s it can read, write and delete.
 */
class StreamedToStoreTest {

    private static final String BUCKET = "streamed";
    private static final long MIB = 1L << 20;

    @RegisterExtension
    static final S3Sandbox sandbox = S3Sandbox.bucket(BUCKET, "streamed");


    @TempDir
    Path temp;

    private final PartsServlet app = new PartsServlet();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void filesOnTheStreamedRoute_goToTheBucket_theApplicationReadsThem_andNothingIsLeftAfterwards() throws Exception {
        Node node = node(Map.of());
        AtomicReference<List<String>> heldObjects = new AtomicReference<>();
        AtomicReference<Long> localFiles = new AtomicReference<>();
        app.whileHeld = () -> {
            heldObjects.set(Bucket.keys(sandbox.inspector(), BUCKET, sandbox.prefix()));
            localFiles.set(countLocalParts());
        };
        MultipartUpload body = new MultipartUpload().field("title", "hello")
                .file("small", "small.bin", 1, 100_000).file("big", "big.bin", 2, 12 * MIB + 7);

        HttpResponse<String> response = http.send(body.post(node.uri("/upload")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> seen = Json.parseObject(response.body());
        assertEquals("STREAMED", seen.get("route"));
        assertEquals(List.of(
                Map.of("name", "title", "size", 5L, "sha256", sha256("hello".getBytes())),
                Map.of("name", "small", "fileName", "small.bin", "size", 100_000L,
                        "sha256", GeneratedStream.sha256Of(1, 100_000)),
                Map.of("name", "big", "fileName", "big.bin", "size", 12 * MIB + 7,
                        "sha256", GeneratedStream.sha256Of(2, 12 * MIB + 7))), withoutNulls(seen.get("parts")));
        assertEquals(List.of("null", "null"), seen.get("storagePaths"), "stored parts have no local path");
        assertEquals(2, heldObjects.get().size(), "one object per file part while the application holds them: "
                + heldObjects.get());
        assertTrue(heldObjects.get().stream().allMatch(key -> key.startsWith(sandbox.prefix() + "parts/")), heldObjects.get()::toString);
        assertEquals(0L, localFiles.get(), "nothing of the files in the local temp directory");
        assertBucketEmpty();
    }

    @Test
    void partWrite_downloadsTheObject_andRemovesItFromTheBucket() throws Exception {
        Node node = node(Map.of());
        AtomicReference<List<String>> afterWrite = new AtomicReference<>();
        app.afterAction = () -> afterWrite.set(Bucket.keys(sandbox.inspector(), BUCKET, sandbox.prefix()));
        Path target = Files.createDirectories(temp.resolve("application"));
        MultipartUpload body = new MultipartUpload().file("doc", "doc.bin", 3, 6 * MIB);

        HttpResponse<String> response = http.send(body.post(node.uri("/upload")).header("X-Then", "write")
                .header("X-Write-To", target.toString()).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> seen = Json.parseObject(response.body());
        String expected = GeneratedStream.sha256Of(3, 6 * MIB);
        assertEquals(expected, seen.get("written-doc"));
        assertEquals(expected, seen.get("reread-doc"), "after write, the Part reads the written file");
        assertEquals(List.of(), afterWrite.get(), "the object left the bucket when it was written");
        assertEquals(expected, sha256(Files.readAllBytes(target.resolve("doc"))), "the application keeps its file");
        assertBucketEmpty();
    }

    @Test
    void partDelete_removesTheObjectAtOnce() throws Exception {
        Node node = node(Map.of());
        AtomicReference<List<String>> held = new AtomicReference<>();
        AtomicReference<List<String>> afterDelete = new AtomicReference<>();
        app.whileHeld = () -> held.set(Bucket.keys(sandbox.inspector(), BUCKET, sandbox.prefix()));
        app.afterAction = () -> afterDelete.set(Bucket.keys(sandbox.inspector(), BUCKET, sandbox.prefix()));
        MultipartUpload body = new MultipartUpload().file("doc", "doc.bin", 4, 7 * MIB);

        HttpResponse<String> response = http.send(body.post(node.uri("/upload")).header("X-Then", "delete").build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(1, held.get().size(), held.get()::toString);
        assertEquals(List.of(), afterDelete.get());
        assertBucketEmpty();
    }

    @Test
    void noMemoryForAPartBuffer_is503WithRetryAfter_andNothingIsStored() throws Exception {
        Node node = node(Map.of("memoryFraction", "0.0001", "retryAfter", "7s"));
        MultipartUpload body = new MultipartUpload().file("doc", "doc.bin", 5, 100_000);

        HttpResponse<String> response = http.send(body.post(node.uri("/upload")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(503, response.statusCode(), response.body());
        assertEquals("7", response.headers().firstValue("Retry-After").orElse(null));
        assertEquals("memory budget exhausted: no room for a 5.0 MiB object store part buffer; retry later\n",
                response.body());
        assertEquals(0, app.deliveries());
        assertBucketEmpty();
    }

    @Test
    void clientGoesAwayMidBody_theMultipartUploadIsAborted_andNothingIsLeft() throws Exception {
        Node node = node(Map.of());
        MultipartUpload body = new MultipartUpload().file("doc", "doc.bin", 6, 40 * MIB);
        try (Socket client = body.sendPartly(node.uri("/upload"), 20 * MIB)) {
            Bucket.awaitMultipartUploadBegun(sandbox.inspector(), BUCKET, sandbox.prefix());
        }
        sandbox.awaitEmpty();

        assertEquals(0, app.deliveries());
        assertEquals(0L, countLocalParts());
    }

    @Test
    void theStoreGoingAway_is503WithAReason() throws Exception {
        S3ProxyServer own = S3ProxyServer.start(temp.resolve("own-s3"), BUCKET);
        Node node = node(Map.of("s3Endpoint", own.endpoint().toString()));
        own.close();
        MultipartUpload body = new MultipartUpload().file("doc", "doc.bin", 7, 100_000);

        HttpResponse<String> response = http.send(body.post(node.uri("/upload")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(503, response.statusCode(), response.body());
        assertEquals("object store unavailable while storing a part\n", response.body());
        assertTrue(response.headers().firstValue("Retry-After").isPresent());
        assertEquals(0, app.deliveries());
    }

    @Test
    void leftoversOlderThanADay_areSwept() throws Exception {
        S3SpillTarget target = new S3SpillTarget(sandbox.server().client(), BUCKET, sandbox.prefix(), S3Settings.MIN_PART_SIZE,
                BufferReservations.of(new MemoryBudget(), Long.MAX_VALUE));
        sandbox.closeAfterEach(target);
        sandbox.inspector().putObject(b -> b.bucket(BUCKET).key(sandbox.prefix() + "parts/" + TempStorage.newId()),
                RequestBody.fromBytes(new byte[10]));
        sandbox.inspector().createMultipartUpload(b -> b.bucket(BUCKET).key(sandbox.prefix() + "parts/" + TempStorage.newId()));

        assertEquals(0, target.sweep(Instant.now()));
        assertEquals(1, Bucket.keys(sandbox.inspector(), BUCKET, sandbox.prefix()).size());
        assertEquals(2, target.sweep(Instant.now().plus(Duration.ofHours(25))));
        assertBucketEmpty();
    }

    private Node node(Map<String, String> extra) throws Exception {
        Map<String, String> params = sandbox.nodeParameters(temp.resolve("node"));
        params.put("inMemoryThreshold", "0");
        params.put("streamedStorage", "store");
        params.putAll(extra);
        return sandbox.closeAfterEach(Node.start(params, app));
    }

    private long countLocalParts() {
        try (Stream<Path> files = Files.list(temp.resolve("node"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertBucketEmpty() {
        sandbox.awaitEmpty();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> withoutNulls(Object parts) {
        List<Map<String, Object>> cleaned = new ArrayList<>();
        for (Map<String, Object> part : (List<Map<String, Object>>) parts) {
            Map<String, Object> copy = new HashMap<>(part);
            copy.values().removeIf(java.util.Objects::isNull);
            cleaned.add(copy);
        }
        return cleaned;
    }

    private static String sha256(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(GeneratedStream.sha256().digest(bytes));
    }
}
