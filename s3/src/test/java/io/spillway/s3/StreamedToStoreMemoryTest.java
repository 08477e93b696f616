package io.spillway.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.s3.testing.Bucket;
import io.spillway.s3.testing.ForkedNodeMain;
import io.spillway.s3.testing.MultipartUpload;
import io.spillway.s3.testing.S3ProxyServer;
import io.spillway.servlet.testing.ForkedServer;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The proof for {@code streamedStorage=store}: a server limited to a 64 MiB heap streams a
 * 1 GiB single-request upload into the bucket part by part (each part buffer reserved from its
 * memory budget), and its application reads and deletes the {@code Part}; an upload whose client
 * goes away mid-body leaves no incomplete multipart upload.
 */
class StreamedToStoreMemoryTest {

    private static final String BUCKET = "big";
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    @TempDir
    Path temp;

    @Test
    void aNodeAt64MiB_streamsOneGiBIntoTheStore_theApplicationReadsAndDeletesIt_andAnAbortLeavesNothing()
            throws Exception {
        S3ProxyServer.useTestCredentials();
        String prefix = "big/";
        try (S3ProxyServer s3proxy = S3ProxyServer.start(temp.resolve("s3"), BUCKET);
             S3Client inspector = s3proxy.client();
             ForkedServer node = forkedNode("64m", Files.createDirectories(temp.resolve("tmp")), Map.of(
                     "tempDirectory", temp.resolve("node").toString(), "maxFileSize", "2GB", "maxRequestSize", "2GB",
                     "diskReserve", "0", "storage", "s3", "streamedStorage", "store",
                     "s3Endpoint", s3proxy.endpoint().toString(), "s3Bucket", BUCKET, "s3PathStyle", "true",
                     "s3Prefix", prefix))) {
            long seed = 1024;
            MultipartUpload body = new MultipartUpload().field("note", "one gibibyte").file("file", "big.bin", seed, GIB);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            HttpResponse<String> response = http.send(body.post(node.uri("/upload")).header("X-Then", "delete")
                    .timeout(Duration.ofMinutes(4)).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode(), response.body() + "\n" + node.output());
            Map<String, Object> seen = Json.parseObject(response.body());
            assertEquals("STREAMED", seen.get("route"));
            @SuppressWarnings("unchecked")
            Map<String, Object> file = ((List<Map<String, Object>>) seen.get("parts")).get(1);
            assertEquals(GIB, file.get("size"));
            assertEquals(body.sentSha256("file"), file.get("sha256"));
            Bucket.awaitEmpty(inspector, BUCKET, prefix);

            MultipartUpload aborted = new MultipartUpload().file("file", "cut.bin", 7, 64 * MIB);
            try (Socket client = aborted.sendPartly(node.uri("/upload"), 24 * MIB)) {
                Bucket.awaitMultipartUploadBegun(inspector, BUCKET, prefix);
            }
            Bucket.awaitEmpty(inspector, BUCKET, prefix);

            assertTrue(node.isAlive(), node.output());
            assertFalse(node.output().contains("OutOfMemoryError"), node.output());
        }
    }


    /**
     * A node ({@link ForkedNodeMain}) in a child JVM with its own heap limit, the object store's
     * credentials as system properties (the SDK's default chain) and its own {@code java.io.tmpdir}.
     * Its filter reads the heap after a full collection, so that the part buffer's reservation
     * depends on the node's live data rather than on when the collector last ran.
     */
    private static ForkedServer forkedNode(String xmx, Path tmpdir, Map<String, String> params) {
        List<String> args = new ArrayList<>();
        params.forEach((name, value) -> args.add(name + "=" + value));
        return ForkedServer.start(List.of("-Xmx" + xmx, "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=" + tmpdir,
                "-Daws.accessKeyId=" + S3ProxyServer.ACCESS_KEY, "-Daws.secretAccessKey=" + S3ProxyServer.SECRET_KEY,
                "-Daws.region=" + S3ProxyServer.REGION), ForkedNodeMain.class.getName(), args);
    }
}
