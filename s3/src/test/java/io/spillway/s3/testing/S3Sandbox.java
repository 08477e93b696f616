package io.spillway.s3.testing;

import io.spillway.core.storage.TempStorage;
import io.spillway.servlet.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jclouds.blobstore.BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The object store of a test class: one s3proxy with one bucket for all its tests, a fresh key
 * prefix for each test (so that a test sees only what it wrote), and what a test opened (nodes,
 * proxies) closed after it, last opened first.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final S3Sandbox sandbox = S3Sandbox.bucket("streamed", "streamed");
 * ... sandbox.server().endpoint() ... sandbox.prefix() ... sandbox.awaitEmpty();
 * }</pre>
 */
public final class S3Sandbox implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final String bucket;
    private final String prefixStem;
    private final UnaryOperator<BlobStore> wrap;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private Path directory;
    private S3ProxyServer server;
    private S3Client inspector;
    private String prefix;

    private S3Sandbox(String bucket, String prefixStem, UnaryOperator<BlobStore> wrap) {
        this.bucket = bucket;
        this.prefixStem = prefixStem;
        this.wrap = wrap;
    }

    /** A sandbox with the bucket, whose tests' prefixes start with {@code prefixStem-}. */
    public static S3Sandbox bucket(String bucket, String prefixStem) {
        return new S3Sandbox(bucket, prefixStem, UnaryOperator.identity());
    }

    /** The same sandbox with s3proxy's blob store wrapped, for example to inject a failure. */
    public S3Sandbox wrappingStore(UnaryOperator<BlobStore> wrapper) {
        return new S3Sandbox(bucket, prefixStem, wrapper);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        S3ProxyServer.useTestCredentials();
        directory = Files.createTempDirectory("spillway-s3-sandbox-");
        server = S3ProxyServer.start(directory.resolve("s3"), bucket, 0, wrap);
        inspector = server.client();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            inspector.close();
            server.close();
        } finally {
            TestServer.deleteTree(directory);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        prefix = prefixStem + "-" + TempStorage.newId().substring(0, 8) + "/";
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (int i = opened.size() - 1; i >= 0; i--) {
                opened.get(i).close();
            }
        } finally {
            opened.clear();
        }
    }

    /** The s3proxy server. */
    public S3ProxyServer server() {
        return server;
    }

    /** A client of the server, for looking into the bucket. */
    public S3Client inspector() {
        return inspector;
    }

    /** The bucket's name. */
    public String bucketName() {
        return bucket;
    }

    /** This test's key prefix, ending in {@code /}. */
    public String prefix() {
        return prefix;
    }

    /** Closes the resource after this test (after those opened later). */
    public <T extends AutoCloseable> T closeAfterEach(T resource) {
        opened.add(resource);
        return resource;
    }

    /**
     * The init-params of a node that keeps its resumable uploads under this test's prefix (parts of
     * 5 MiB, 100 MB limits, no disk reserve), as a map the test may add to.
     */
    public Map<String, String> nodeParameters(Path tempDirectory) {
        Map<String, String> params = new HashMap<>(Map.of(
                "tempDirectory", tempDirectory.toString(),
                "maxFileSize", "100MB", "maxRequestSize", "100MB", "diskReserve", "0",
                "storage", "s3", "s3Endpoint", server.endpoint().toString(), "s3Bucket", bucket,
                "s3PathStyle", "true", "s3Prefix", prefix, "s3PartSize", "5MiB"));
        return params;
    }

    /** Waits until nothing at all is left under this test's prefix. */

    public void awaitEmpty() {
        Bucket.awaitEmpty(inspector, bucket, prefix);
    }

    /** Waits until nothing of an upload is left under this test's prefix but the records of ended uploads. */
    public void awaitNoUploadLeft() {
        Bucket.awaitNoUploadLeft(inspector, bucket, prefix);
    }
}
