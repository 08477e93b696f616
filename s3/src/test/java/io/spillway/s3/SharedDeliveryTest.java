package io.spillway.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.resumable.ContentRange;
import io.spillway.core.resumable.NewUpload;
import io.spillway.core.resumable.ResumableUploads;
import io.spillway.core.resumable.UploadState;
import io.spillway.core.resumable.WriteOutcome;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.testing.MutableClock;
import io.spillway.s3.testing.Bucket;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.s3.testing.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Delivery of a complete upload when several servers share the bucket: a server that starts does not
 * reopen an upload another server may be delivering, and a completion that fails midway (the store
 * fails while assembling or downloading the file) can be retried instead of answering 409 until the
 * upload expires. Two engines with their own clients stand for two servers; the test stops or fails
 * the store (s3proxy) exactly at the step under test, from the SDK's own interceptor hook.
 */
class SharedDeliveryTest {

    private static final String BUCKET = "deliveries";
    private static final long MIB = 1L << 20;
    private static final long TOTAL = 12 * MIB + 5;
    private static final long SLICE = 6 * MIB;

    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final byte[] file = GeneratedStream.bytes(21, (int) TOTAL);
    private S3ProxyServer s3proxy;
    private S3Client inspector;
    private String prefix;

    @BeforeEach
    void startStore() throws Exception {
        S3ProxyServer.useTestCredentials();
        s3proxy = S3ProxyServer.start(temp.resolve("s3"), BUCKET);
        inspector = s3proxy.client();
        prefix = "d-" + TempStorage.newId().substring(0, 8) + "/";
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        inspector.close();
        s3proxy.close();
    }

    @Test
    void aServerStartingWhileAnotherDelivers_leavesTheUploadComplete_untilTheDeliveryGraceHasPassed()
            throws Exception {
        ResumableUploads nodeA = engine("a", client(request -> false, () -> { }));
        String id = sendWholeFile(nodeA);

        ResumableUploads nodeB = engine("b", client(request -> false, () -> { }));
        assertTrue(storedState(id).complete(), "a young complete upload is another server's delivery");
        assertEquals(409, assertThrows(UploadRejectedException.class, () -> sendLastSlice(nodeB, id)).status());
        assertTrue(nodeB.claimDelivery(id, null).isEmpty());

        clock.advance(ResumableUploads.DELIVERY_GRACE);
        ResumableUploads nodeC = engine("c", client(request -> false, () -> { }));
        UploadState reopened = storedState(id);
        assertFalse(reopened.complete(), "after the grace, start-up recovery reopens it");
        assertTrue(reopened.fullyReceived());

        assertTrue(nodeC.claimDelivery(id, null).isPresent());
        assertTrue(nodeB.claimDelivery(id, null).isEmpty(), "exactly one server claims the delivery");
        assertDelivered(nodeC, id);
    }

    @Test
    void aCompletionThatFailsWhileTheStoreIsDown_isDeliveredByTheLastChunkAfterTheGrace() throws Exception {
        int port = s3proxy.endpoint().getPort();
        AtomicBoolean armed = new AtomicBoolean();
        AtomicInteger stopped = new AtomicInteger();
        ResumableUploads nodeA = engine("a", client(request -> armed.get()
                && request instanceof CompleteMultipartUploadRequest, () -> {
                    if (armed.getAndSet(false)) {
                        stopStore();
                        stopped.incrementAndGet();
                    }
                }));
        ResumableUploads nodeB = engine("b", client(request -> false, () -> { }));
        String id = sendWholeFile(nodeA);
        armed.set(true);

        UploadRejectedException failed = assertThrows(UploadRejectedException.class, () -> nodeA.completedFile(id));

        assertEquals(1, stopped.get(), "the store stopped as CompleteMultipartUpload was sent");
        assertEquals(503, failed.status());
        assertEquals("object store unavailable while completing an upload", failed.reason());
        restartStore(port);
        assertTrue(storedState(id).complete(), "the store was down: the failure could not be recorded");
        assertEquals("upload is already complete", assertThrows(UploadRejectedException.class,
                () -> sendLastSlice(nodeB, id)).reason());

        clock.advance(ResumableUploads.DELIVERY_GRACE);
        assertTrue(sendLastSlice(nodeB, id).completed(), "the resent last chunk completes it again");
        assertDelivered(nodeB, id);
    }

    @Test
    void aDownloadThatFails_marksTheUploadUndeliveredAtOnce_andAStatusQueryOnAnotherServerDeliversIt()
            throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        ResumableUploads nodeA = engine("a", client(request -> failing.get() && request instanceof GetObjectRequest get
                && get.key().startsWith(prefix + "data/") && get.range() == null, () -> {
                    throw SdkClientException.create("connection reset while downloading (injected)");
                }));
        ResumableUploads nodeB = engine("b", client(request -> false, () -> { }));
        String id = sendWholeFile(nodeA);
        failing.set(true);

        UploadRejectedException failed = assertThrows(UploadRejectedException.class, () -> nodeA.completedFile(id));

        assertEquals(503, failed.status());
        assertEquals("object store unavailable while reading the completed upload", failed.reason());
        failing.set(false);
        UploadState undelivered = nodeB.status(id, null);
        assertFalse(undelivered.complete());
        assertTrue(undelivered.fullyReceived());
        assertTrue(nodeB.claimDelivery(id, null).isPresent());
        assertTrue(nodeA.claimDelivery(id, null).isEmpty());
        assertDelivered(nodeB, id);
    }

    /** Sends the file in two slices; the second completes it. */
    private String sendWholeFile(ResumableUploads node) throws Exception {
        UploadState state = node.create(new NewUpload(UploadState.CONTENT_RANGE, TOTAL, "f.bin", "file",
                "application/octet-stream", null, null, null));
        assertFalse(node.writeRange(state.id(), null, ContentRange.parse("bytes 0-" + (SLICE - 1) + "/" + TOTAL),
                SLICE, new ByteArrayInputStream(file, 0, (int) SLICE)).completed());
        assertTrue(sendLastSlice(node, state.id()).completed());
        return state.id();
    }

    private WriteOutcome sendLastSlice(ResumableUploads node, String id) throws Exception {
        return node.writeRange(id, null, ContentRange.parse("bytes " + SLICE + "-" + (TOTAL - 1) + "/" + TOTAL),
                TOTAL - SLICE, new ByteArrayInputStream(file, (int) SLICE, (int) (TOTAL - SLICE)));
    }

    private void assertDelivered(ResumableUploads node, String id) throws Exception {
        Path delivered = node.completedFile(id);
        assertEquals(sha256(file), sha256(Files.readAllBytes(delivered)));
        node.finish(id);
        assertEquals(List.of(), Bucket.uploadKeys(inspector, BUCKET, prefix));
        assertEquals(List.of(), Bucket.multipartUploads(inspector, BUCKET, prefix));
    }

    private UploadState storedState(String id) throws Exception {
        S3ResumableStore store = new S3ResumableStore(s3proxy.client(), BUCKET, prefix, S3Settings.MIN_PART_SIZE,
                TempStorage.open(temp.resolve("inspect")));
        try (store) {
            return UploadState.fromJson(store.readState(id).orElseThrow().json());
        }
    }

    private ResumableUploads engine(String node, S3Client client) throws Exception {
        S3ResumableStore store = new S3ResumableStore(client, BUCKET, prefix, S3Settings.MIN_PART_SIZE,
                TempStorage.open(temp.resolve(node).resolve("local")));
        SpillwayConfig config = SpillwayConfig.custom().maxFileSize(1L << 30).maxRequestSize(1L << 30)
                .diskReserve(0).uploadExpiry(Duration.ofHours(1)).build();
        ResumableUploads uploads = ResumableUploads.open(store, temp.resolve(node).resolve("staging"), config, clock);
        opened.add(uploads);
        return uploads;
    }

    /**
     * A client of the store that runs {@code action} just before sending a request {@code when}
     * selects. A short socket timeout: a connection pooled before the store stopped is not reset by it.
     */
    private S3Client client(Predicate<SdkRequest> when, Runnable action) {
        ExecutionInterceptor interceptor = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (when.test(context.request())) {
                    action.run();
                }
            }
        };
        return S3Client.builder().endpointOverride(s3proxy.endpoint()).region(Region.of(S3ProxyServer.REGION))
                .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(5)))
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .overrideConfiguration(o -> o.addExecutionInterceptor(interceptor)).build();
    }

    private void stopStore() {
        try {
            s3proxy.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void restartStore(int port) throws Exception {
        inspector.close();
        s3proxy = S3ProxyServer.start(temp.resolve("s3"), BUCKET, port);
        inspector = s3proxy.client();
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(GeneratedStream.sha256().digest(bytes));
    }
}
