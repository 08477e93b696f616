package io.spillway.s3.testing;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server in the test JVM: s3proxy over jclouds' filesystem backend in a temp
 * directory, on 127.0.0.1 with an ephemeral port, with one bucket.
 */
public final class S3ProxyServer implements AutoCloseable {

    /** Credentials the server accepts; tests pass them as system properties (the SDK's chain). */
    public static final String ACCESS_KEY = "spillway-test";
    public static final String SECRET_KEY = "spillway-test-secret";
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final String bucket;

    private S3ProxyServer(S3Proxy proxy, BlobStoreContext context, String bucket) {
        this.proxy = proxy;
        this.context = context;
        this.bucket = bucket;
    }

    /** Starts the server with its data under {@code directory} and creates {@code bucket}. */
    public static S3ProxyServer start(Path directory, String bucket) throws Exception {
        return start(directory, bucket, 0);
    }

    /**
     * Starts the server on a given port (0 for any), with its data under {@code directory}; the
     * bucket is created unless an earlier server left it there.
     */
    public static S3ProxyServer start(Path directory, String bucket, int port) throws Exception {
        return start(directory, bucket, port, UnaryOperator.identity());
    }

    /**
     * Starts the server as {@link #start(Path, String, int)} does, serving the blob store through
     * {@code wrap}, so that a test can make the store itself fail an operation.
     */
    public static S3ProxyServer start(Path directory, String bucket, int port, UnaryOperator<BlobStore> wrap)
            throws Exception {
        Files.createDirectories(directory);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem")
                .credentials(ACCESS_KEY, SECRET_KEY)
                .overrides(properties)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(wrap.apply(context.getBlobStore()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        await("s3proxy started").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> AbstractLifeCycle.STARTED.equals(proxy.getState()));

        context.getBlobStore().createContainerInLocation(null, bucket);
        return new S3ProxyServer(proxy, context, bucket);
    }

    /** The endpoint, for {@code s3Endpoint}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public String bucket() {
        return bucket;
    }

    /** A client for assertions (SDK 2.29 sends no default checksums, which s3proxy 2.6 would refuse). */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** Makes the SDK's default credential chain in this JVM find the server's credentials. */
    public static void useTestCredentials() {
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        System.setProperty("aws.region", REGION);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
