package io.spillway.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.s3.testing.S3Sandbox;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.s3.testing.Node;
import io.spillway.servlet.testing.RecordingServlet;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over HTTP with two nodes: the store fails while the completing request assembles the file
 * ({@code CompleteMultipartUpload} answers 500). That request answers 503; the upload is marked
 * undelivered, and the client's next step on the other node delivers it: a tus client resuming
 * (its {@code HEAD} sees every byte stored), or a Content-Range status query.
 */
class FailedCompletionHttpTest {

    private static final String BUCKET = "failing";
    private static final long MIB = 1L << 20;
    private static final long TOTAL = 12 * MIB + 3;
    private static final int SLICE = (int) (6 * MIB);

    private static final AtomicBoolean failCompletion = new AtomicBoolean();

    @RegisterExtension
    static final S3Sandbox sandbox = S3Sandbox.bucket(BUCKET, "f").wrappingStore(
            store -> new ForwardingBlobStore(store) {
            @Override
            public String completeMultipartUpload(MultipartUpload upload, List<MultipartPart> parts) {
                if (failCompletion.get()) {
                    throw new IllegalStateException("disk failure while assembling (injected)");
                }
                return super.completeMultipartUpload(upload, parts);
            }
            });

    private final AtomicInteger nodes = new AtomicInteger();

    @TempDir
    Path temp;

    private final RecordingServlet appA = new RecordingServlet();
    private final RecordingServlet appB = new RecordingServlet();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final byte[] file = GeneratedStream.bytes(31, (int) TOTAL);

    @BeforeEach
    void completionWorks() {
        failCompletion.set(false);
    }

    @Test
    void tus_theCompletingPatchFails_andTheClientResumingOnTheOtherNodeGetsItDelivered() throws Exception {
        Node a = node(appA);
        Node b = node(appB);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(a.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", String.valueOf(TOTAL))
                .header("Upload-Metadata", "filename " + base64("whole.bin")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String path = created.headers().firstValue("Location").orElseThrow();
        assertEquals(204, patch(a, path, 0, SLICE).statusCode());
        failCompletion.set(true);

        HttpResponse<String> failed = patch(a, path, SLICE, (int) TOTAL - SLICE);

        assertEquals(503, failed.statusCode(), failed.body());
        assertTrue(failed.body().startsWith("object store ") && failed.body().contains(" while completing an upload"),
                failed.body());
        assertEquals(0, appA.deliveries.size());
        failCompletion.set(false);

        TusClient client = new TusClient();
        TusUploader resumed = client.beginOrResumeUploadFromURL(source(), b.uri(path).toURL());
        assertEquals(TOTAL, resumed.getOffset(), "the HEAD that resumed it delivered it");
        resumed.finish();
        assertEquals(0, appA.deliveries.size());
        assertEquals(1, appB.deliveries.size());
        assertEquals(List.of(Map.of("name", "file", "fileName", "whole.bin", "contentType", "application/octet-stream",
                "size", TOTAL, "sha256", GeneratedStream.sha256Of(31, TOTAL))), appB.deliveries.peek().get("parts"));
        awaitBucketEmpty();
    }

    @Test
    void contentRange_theCompletingSliceFails_andAStatusQueryOnTheOtherNodeDeliversIt() throws Exception {
        Node a = node(appA);
        Node b = node(appB);
        HttpResponse<String> first = slice(a, null, 0, SLICE);
        assertEquals(200, first.statusCode(), first.body());
        String id = first.headers().firstValue("Upload-Id").orElseThrow();
        failCompletion.set(true);

        HttpResponse<String> failed = slice(a, id, SLICE, (int) TOTAL - SLICE);

        assertEquals(503, failed.statusCode(), failed.body());
        assertTrue(failed.body().contains(" while completing an upload"), failed.body());
        failCompletion.set(false);
        HttpResponse<String> query = http.send(HttpRequest.newBuilder(b.uri("/upload"))
                .PUT(HttpRequest.BodyPublishers.noBody()).header("Upload-Id", id)
                .header("Content-Range", "bytes */" + TOTAL).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, query.statusCode(), query.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> part = ((List<Map<String, Object>>) Json.parseObject(query.body()).get("parts")).get(0);
        assertEquals(TOTAL, part.get("size"));
        assertEquals(GeneratedStream.sha256Of(31, TOTAL), part.get("sha256"));
        assertEquals(0, appA.deliveries.size());
        assertEquals(1, appB.deliveries.size());
        awaitBucketEmpty();
    }

    private HttpResponse<String> patch(Node node, String path, long offset, int length) throws Exception {
        return http.send(HttpRequest.newBuilder(node.uri(path))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file, (int) offset, length))
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", String.valueOf(offset))
                .header("Content-Type", "application/offset+octet-stream").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> slice(Node node, String id, long start, int length) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(node.uri("/upload"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(file, (int) start, length))
                .header("Content-Range", "bytes " + start + "-" + (start + length - 1) + "/" + TOTAL)
                .header("Content-Type", "application/octet-stream");
        if (id != null) {
            put.header("Upload-Id", id);
        }
        return http.send(put.build(), HttpResponse.BodyHandlers.ofString());
    }

    private TusUpload source() {
        TusUpload upload = new TusUpload();
        upload.setSize(TOTAL);
        upload.setInputStream(new java.io.ByteArrayInputStream(file));
        upload.setFingerprint("failed-completion");
        return upload;
    }

    private Node node(RecordingServlet app) throws Exception {
        return sandbox.closeAfterEach(Node.start(sandbox.nodeParameters(temp.resolve("node-" + nodes.incrementAndGet())),
                app));
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void awaitBucketEmpty() {
        sandbox.awaitNoUploadLeft();
    }

}
