package io.spillway.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.s3.testing.Bucket;
import io.spillway.s3.testing.S3Sandbox;
import io.spillway.servlet.testing.CuttingProxy;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.TusUploads;
import io.spillway.s3.testing.Node;
import io.spillway.servlet.testing.RecordingServlet;
import io.spillway.s3.testing.S3ProxyServer;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two Tomcat nodes with {@code storage=s3} share one bucket of a real S3 API server (sandbox.server()), as
 * servers behind a load balancer without sticky sessions do: every request of an upload may land
 * on either node.
 */
class TwoNodeResumableTest {

    private static final String BUCKET = "shared-uploads";
    private static final long MIB = 1L << 20;
    private static final int PAYLOAD = 5 << 20;

    @RegisterExtension
    static final S3Sandbox sandbox = S3Sandbox.bucket(BUCKET, "cluster");


    @TempDir
    Path temp;

    private final RecordingServlet appA = new RecordingServlet();
    private final RecordingServlet appB = new RecordingServlet();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void tusUpload_alternatingNodes_interrupted_resumesOnTheOtherNode_andTheApplicationGetsTheWholeFile()
            throws Exception {
        long size = 64 * MIB;
        long seed = 64;
        Node[] nodes = {node("a", appA, Map.of()), node("b", appB, Map.of())};
        TusClient client = new TusClient();
        client.setUploadCreationURL(nodes[0].uri("/upload").toURL());
        TusUploader creating = client.createUpload(source(seed, size));
        String path = creating.getUploadURL().getPath();
        long offset = sendOneRequest(creating, size);
        int request = 1;
        boolean cut = false;
        while (offset < size) {
            Node node = nodes[request % 2];
            if (request == 5 && !cut) {
                CuttingProxy proxy = new CuttingProxy(node.port());
                sandbox.closeAfterEach(proxy);
                proxy.armAfter(PAYLOAD / 2);
                URL viaProxy = URI.create("http://127.0.0.1:" + proxy.port() + path).toURL();
                assertThrows(Exception.class, () -> sendOneRequest(
                        client.beginOrResumeUploadFromURL(source(seed, size), viaProxy), size));
                assertTrue(proxy.didCut());
                cut = true;
                request++;
                continue;
            }
            offset = resumeOnce(client, node.uri(path).toURL(), seed, size);
            request++;
        }
        assertTrue(cut);
        assertTrue(request >= 14, "requests alternated between the nodes: " + request);
        List<Map<String, Object>> deliveries = new ArrayList<>(appA.deliveries);
        deliveries.addAll(appB.deliveries);
        assertEquals(1, deliveries.size(), "exactly one node hands the file to its application");
        assertEquals(List.of(Map.of("name", "file", "fileName", "random.bin", "contentType", "application/x-test",
                "size", size, "sha256", GeneratedStream.sha256Of(seed, size))), deliveries.get(0).get("parts"));
        awaitBucketEmpty();
    }

    /**
     * The network drops in the middle of a PATCH to node A without A noticing (A's side of the
     * connection stays open and silent). A fresh client resumes through node B at once, with no
     * retry: B asks A, through the bucket, to let go; A keeps what it received and withdraws; B
     * answers the settled offset and the upload completes on B. Both nodes, restarted, then answer
     * 410 for the upload: its ending is in the bucket, not in one node's memory.
     */
    @Test
    void tusUpload_droppedOnNodeA_unnoticed_aFreshClientResumesOnNodeB_atOnce() throws Exception {
        long size = 16 * MIB;
        long seed = 16;
        Node a = node("a", appA, Map.of());
        Node b = node("b", appB, Map.of());
        CuttingProxy proxy = new CuttingProxy(a.port());
        sandbox.closeAfterEach(proxy);
        TusClient first = new TusClient();
        first.setUploadCreationURL(URI.create("http://127.0.0.1:" + proxy.port() + "/upload").toURL());
        TusUploader creating = first.createUpload(source(seed, size));
        String path = creating.getUploadURL().getPath();
        assertEquals(PAYLOAD, sendOneRequest(creating, size));
        proxy.armStallAfter(PAYLOAD / 2);
        URL viaProxy = URI.create("http://127.0.0.1:" + proxy.port() + path).toURL();
        assertThrows(Exception.class, () -> sendOneRequest(first.beginOrResumeUploadFromURL(source(seed, size),
                viaProxy), size));
        assertTrue(proxy.didCut());

        TusClient fresh = new TusClient();
        TusUploader resumed = fresh.beginOrResumeUploadFromURL(source(seed, size), b.uri(path).toURL());
        long resumedAt = resumed.getOffset();
        long offset = sendOneRequest(resumed, size);
        while (offset < size) {
            offset = resumeOnce(fresh, b.uri(path).toURL(), seed, size);
        }
        assertTrue(resumedAt >= PAYLOAD && resumedAt < 2L * PAYLOAD,
                "resumed from the offset that node A settled on when asked to let go: " + resumedAt);
        assertEquals(0, appA.deliveries.size());
        assertEquals(1, appB.deliveries.size());
        assertEquals(GeneratedStream.sha256Of(seed, size), ((List<Map<String, Object>>) cast(
                appB.deliveries.peek().get("parts"))).get(0).get("sha256"));
        awaitBucketEmpty();
        assertEquals(List.of(sandbox.prefix() + S3ResumableStore.ENDED + path.substring(path.lastIndexOf('/') + 1) + ".json"),
                Bucket.endingKeys(sandbox.inspector(), BUCKET, sandbox.prefix()));

        Node restarted = node("c", new RecordingServlet(), Map.of());
        HttpResponse<String> late = http.send(HttpRequest.newBuilder(restarted.uri(path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(410, late.statusCode(), "a node that never saw the upload knows it ended");
    }

    @Test
    void contentRangeSlicesOfOneMib_spreadOverBothNodes_assembleCorrectly() throws Exception {
        long total = 12 * MIB + 5;
        long seed = 12;
        Node[] nodes = {node("a", appA, Map.of()), node("b", appB, Map.of())};
        byte[] file = GeneratedStream.bytes(seed, (int) total);
        List<Long> starts = new ArrayList<>();
        for (long start = MIB; start < total; start += MIB) {
            starts.add(start);
        }
        Collections.shuffle(starts, new Random(8));
        starts.add(0, 0L);
        String id = null;
        HttpResponse<String> last = null;
        for (int i = 0; i < starts.size(); i++) {
            long start = starts.get(i);
            long end = Math.min(total, start + MIB);
            HttpRequest.Builder put = HttpRequest.newBuilder(nodes[i % 2].uri("/upload"))
                    .header("Content-Range", "bytes " + start + "-" + (end - 1) + "/" + total)
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Disposition", "attachment; filename=\"slices.bin\"")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(file, (int) start, (int) (end - start)));
            if (id != null) {
                put.header("Upload-Id", id);
            }
            last = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, last.statusCode(), last.body());
            id = last.headers().firstValue("Upload-Id").orElse(id);
            assertNotNull(id);
        }
        Map<String, Object> seen = Json.parseObject(last.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> part = ((List<Map<String, Object>>) seen.get("parts")).get(0);
        assertEquals("slices.bin", part.get("fileName"));
        assertEquals(total, part.get("size"));
        assertEquals(GeneratedStream.sha256Of(seed, total), part.get("sha256"));
        assertEquals(1, appA.deliveries.size() + appB.deliveries.size());
        awaitBucketEmpty();
    }

    @Test
    void expiredUpload_isSweptFromTheBucket_noMultipartUpload_noStateObject() throws Exception {
        Node a = node("a", appA, Map.of("uploadExpiry", "10s"));
        node("b", appB, Map.of("uploadExpiry", "10s"));
        TusClient client = new TusClient();
        client.setUploadCreationURL(a.uri("/upload").toURL());
        sendOneRequest(client.createUpload(source(3, 12 * MIB)), 12 * MIB);
        assertEquals(1, Bucket.multipartUploads(sandbox.inspector(), BUCKET, sandbox.prefix()).size());
        assertTrue(Bucket.keys(sandbox.inspector(), BUCKET, sandbox.prefix()).stream().anyMatch(k -> k.startsWith(sandbox.prefix() + "state/")));
        awaitBucketEmpty();
        assertEquals(0, appA.deliveries.size() + appB.deliveries.size());
    }

    @Test
    void storeGoesAwayMidUpload_theChunkIs503WithAReason_andTheUploadCompletesOnceItIsBack() throws Exception {
        long size = 12 * MIB;
        long seed = 99;
        Path data = temp.resolve("own-s3");
        S3ProxyServer own = S3ProxyServer.start(data, BUCKET);
        int port = own.endpoint().getPort();
        Node a = node("a", appA, Map.of("s3Endpoint", own.endpoint().toString()));
        Node b = node("b", appB, Map.of("s3Endpoint", own.endpoint().toString()));
        TusClient client = new TusClient();
        client.setUploadCreationURL(a.uri("/upload").toURL());
        TusUploader creating = client.createUpload(source(seed, size));
        String path = creating.getUploadURL().getPath();
        assertEquals(PAYLOAD, sendOneRequest(creating, size));
        own.close();

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(b.uri(path))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[1024]))
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", String.valueOf(PAYLOAD))
                .header("Content-Type", "application/offset+octet-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("object store unavailable while reading upload state"), refused.body());

        try (S3ProxyServer back = S3ProxyServer.start(data, BUCKET, port); S3Client s3 = back.client()) {
            long offset = PAYLOAD;
            while (offset < size) {
                offset = resumeOnce(client, b.uri(path).toURL(), seed, size);
            }
            assertEquals(1, appB.deliveries.size());
            assertEquals(GeneratedStream.sha256Of(seed, size), ((List<Map<String, Object>>) cast(
                    appB.deliveries.peek().get("parts"))).get(0).get("sha256"));
            Bucket.awaitNoUploadLeft(s3, BUCKET, sandbox.prefix());

        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    private Node node(String name, RecordingServlet app, Map<String, String> extra) throws Exception {
        Map<String, String> params = sandbox.nodeParameters(temp.resolve(name));
        params.putAll(extra);
        return sandbox.closeAfterEach(Node.start(params, app));
    }

    /** Sends the bytes up to the next multiple of the request size in one PATCH. */
    private static long sendOneRequest(TusUploader uploader, long size) throws Exception {
        uploader.setChunkSize(256 << 10);
        uploader.setRequestPayloadSize(PAYLOAD);
        long target = Math.min(size, (uploader.getOffset() / PAYLOAD + 1) * PAYLOAD);
        while (uploader.getOffset() < target && uploader.uploadChunk() > -1) {
            // one request
        }
        uploader.finish();
        return uploader.getOffset();
    }

    /**
     * One request on a node by a client that resumes from the offset the node reports, with no
     * retry: right after a cut or a drop, the offset query makes the request that was cut let go
     * of the upload (on whichever node it runs), so the first attempt succeeds.
     */
    private static long resumeOnce(TusClient client, URL url, long seed, long size) throws Exception {
        return sendOneRequest(client.beginOrResumeUploadFromURL(source(seed, size), url), size);
    }

    private static TusUpload source(long seed, long size) {
        return TusUploads.generated(seed, size, "random.bin", "application/x-test");
    }

    /**
     * Waits until nothing of the test's uploads is left in the bucket but the small records that
     * they ended ({@code ended/<id>.json}, kept for {@code uploadExpiry}).
     */
    private void awaitBucketEmpty() {
        sandbox.awaitNoUploadLeft();
    }

}
