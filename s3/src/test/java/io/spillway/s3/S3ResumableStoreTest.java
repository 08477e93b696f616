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
import io.spillway.core.storage.ResumableStore;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.storage.UploadIds;
import io.spillway.core.testing.MutableClock;
import io.spillway.s3.testing.Bucket;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.s3.testing.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 store and the resumable engine over it, against a real S3 API (s3proxy, filesystem
 * backend): two stores with their own clients stand for two servers sharing one bucket.
 */
class S3ResumableStoreTest {

    private static final String BUCKET = "uploads";
    private static final long MIB = 1L << 20;

    @TempDir
    static Path shared;
    private static S3ProxyServer server;
    private static S3Client inspector;

    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final List<AutoCloseable> opened = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void startServer() throws Exception {
        S3ProxyServer.useTestCredentials();
        server = S3ProxyServer.start(shared.resolve("s3"), BUCKET);
        inspector = server.client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        inspector.close();
        server.close();
    }

    @BeforeEach
    void choosePrefix() {
        prefix = "t-" + TempStorage.newId().substring(0, 8) + "/";
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    @Test
    void contentRangeSlicesOfOneMib_fromTwoServers_assembleIntoTheRightObject() throws Exception {
        long total = 12 * MIB + 12_345;
        ResumableUploads nodeA = engine("a");
        ResumableUploads nodeB = engine("b");
        UploadState state = nodeA.create(new NewUpload(UploadState.CONTENT_RANGE, total, "f.bin", "file",
                "application/octet-stream", null, null, null));
        byte[] file = GeneratedStream.bytes(7, (int) total);
        List<Long> starts = new ArrayList<>();
        for (long start = 0; start < total; start += MIB) {
            starts.add(start);
        }
        Collections.shuffle(starts, new Random(3));
        int completions = 0;
        for (int i = 0; i < starts.size(); i++) {
            long start = starts.get(i);
            long end = Math.min(total, start + MIB);
            ResumableUploads node = i % 2 == 0 ? nodeA : nodeB;
            WriteOutcome outcome = node.writeRange(state.id(), null,
                    ContentRange.parse("bytes " + start + "-" + (end - 1) + "/" + total), end - start,
                    new ByteArrayInputStream(file, (int) start, (int) (end - start)));
            completions += outcome.completed() ? 1 : 0;
            if (outcome.completed()) {
                assertEquals(sha256(file), sha256(Files.readAllBytes(node.completedFile(state.id()))));
                assertEquals(List.of(prefix + "data/" + state.id()), Bucket.keys(inspector, BUCKET, prefix + "data/"));
                assertEquals(total, inspector.headObject(b -> b.bucket(BUCKET).key(prefix + "data/" + state.id()))
                        .contentLength());
                node.finish(state.id());
            }
        }
        assertEquals(1, completions);
        assertEquals(List.of(), Bucket.uploadKeys(inspector, BUCKET, prefix));
        assertEquals(List.of(), Bucket.multipartUploads(inspector, BUCKET, prefix));
    }

    @Test
    void aRetransmittedSlice_onTheOtherServer_isComparedWithTheStoredBytes() throws Exception {
        long total = 6 * MIB;
        ResumableUploads nodeA = engine("a");
        ResumableUploads nodeB = engine("b");
        UploadState state = nodeA.create(new NewUpload(UploadState.CONTENT_RANGE, total, "f.bin", "file",
                "application/octet-stream", null, null, null));
        byte[] slice = GeneratedStream.bytes(11, (int) MIB);
        ContentRange first = ContentRange.parse("bytes 0-" + (MIB - 1) + "/" + total);
        nodeA.writeRange(state.id(), null, first, MIB, new ByteArrayInputStream(slice));
        assertFalse(nodeB.writeRange(state.id(), null, first, MIB, new ByteArrayInputStream(slice)).completed());
        byte[] changed = slice.clone();
        changed[1000] ^= 1;
        UploadRejectedException differs = assertThrows(UploadRejectedException.class, () ->
                nodeB.writeRange(state.id(), null, first, MIB, new ByteArrayInputStream(changed)));
        assertEquals(409, differs.status());
        assertEquals(MIB, nodeB.status(state.id(), null).offset());
    }

    @Test
    void concurrentStateChanges_fromTwoServers_exactlyOneWins() throws Exception {
        S3ResumableStore a = store("a");
        S3ResumableStore b = store("b");
        String id = UploadIds.newId();
        a.create(id, "{\"total\":100}");
        String version = b.readState(id).orElseThrow().version();
        int writers = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Optional<String>>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                ResumableStore store = i % 2 == 0 ? a : b;
                String json = "{\"writer\":" + i + "}";
                Callable<Optional<String>> change = () -> {
                    start.await();
                    return store.replaceState(id, version, json);
                };
                results.add(pool.submit(change));
            }
            start.countDown();
            int winners = 0;
            for (Future<Optional<String>> result : results) {
                winners += result.get().isPresent() ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
        String finalState = a.readState(id).orElseThrow().json();
        assertTrue(finalState.startsWith("{\"writer\":"), finalState);
        assertEquals(List.of(), Bucket.keys(inspector, BUCKET, prefix + "lock/"));
    }

    @Test
    void aLostCompareAndSet_deletesThePieceItsWriteStored() throws Exception {
        S3ResumableStore a = store("a");
        String id = UploadIds.newId();
        a.create(id, "{\"total\":10}");
        String version = a.readState(id).orElseThrow().version();
        assertTrue(a.replaceState(id, version, "{\"total\":10,\"n\":1}").isPresent());
        a.write(id, 0, new ByteArrayInputStream(new byte[10]), 10);
        assertEquals(1, Bucket.keys(inspector, BUCKET, prefix + "pieces/").size(),
                () -> Bucket.keys(inspector, BUCKET, prefix).toString());
        assertTrue(a.replaceState(id, version, "{\"total\":10,\"n\":2}").isEmpty());
        assertEquals(List.of(), Bucket.keys(inspector, BUCKET, prefix + "pieces/"));
        assertEquals(0, a.storedExtent(id));
    }

    @Test
    void expiredUpload_leavesNoMultipartUpload_noStateObject_andNoPieces() throws Exception {
        ResumableUploads node = engine("a");
        long total = 12 * MIB;
        UploadState state = node.create(new NewUpload(UploadState.TUS, total, "f.bin", "file",
                "application/octet-stream", null, null, null));
        node.append(state.id(), null, 0, 6 * MIB, new GeneratedStream(5, 6 * MIB), null);
        assertEquals(1, Bucket.multipartUploads(inspector, BUCKET, prefix).size());
        String uploadId = Bucket.multipartUploads(inspector, BUCKET, prefix).get(0).uploadId();
        assertEquals(1, inspector.listParts(b -> b.bucket(BUCKET).key(prefix + "data/" + state.id())
                .uploadId(uploadId)).parts().size(), "the first full part is uploaded at once");
        clock.advance(Duration.ofHours(2));
        assertEquals(1, engine("b").sweep());
        assertEquals(List.of(), Bucket.multipartUploads(inspector, BUCKET, prefix));
        assertEquals(List.of(), Bucket.uploadKeys(inspector, BUCKET, prefix));
    }

    @Test
    void unreachableStore_is503WithAReason() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        S3Settings settings = new S3Settings(URI.create("http://127.0.0.1:" + closedPort), BUCKET, null, prefix,
                true, S3Settings.MIN_PART_SIZE);
        UploadRejectedException e = assertThrows(UploadRejectedException.class,
                () -> S3ResumableStore.open(settings, temp.resolve("local")));
        assertEquals(503, e.status());
        assertEquals("object store unavailable while checking bucket " + BUCKET, e.reason());
    }

    @Test
    void wrongCredentials_are503_deniedAccess() throws Exception {
        S3Client wrong = S3Client.builder().endpointOverride(server.endpoint()).region(Region.of("us-east-1"))
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, "not-the-secret"))).build();
        S3ResumableStore store = new S3ResumableStore(wrong, BUCKET, prefix, S3Settings.MIN_PART_SIZE,
                TempStorage.open(temp.resolve("local")));
        opened.add(store);
        UploadRejectedException e = assertThrows(UploadRejectedException.class,
                () -> store.create(UploadIds.newId(), "{\"total\":1}"));
        assertEquals(503, e.status());
        assertTrue(e.reason().startsWith("object store denied access"), e.reason());
        assertEquals(List.of(), Bucket.uploadKeys(inspector, BUCKET, prefix));
    }

    private S3ResumableStore store(String node) throws Exception {
        S3Settings settings = new S3Settings(server.endpoint(), BUCKET, null, prefix, true, S3Settings.MIN_PART_SIZE);
        S3ResumableStore store = S3ResumableStore.open(settings, temp.resolve(node).resolve("local"));
        opened.add(store);
        return store;
    }

    private ResumableUploads engine(String node) throws Exception {
        SpillwayConfig config = SpillwayConfig.custom().maxFileSize(1L << 30).maxRequestSize(1L << 30)
                .diskReserve(0).uploadExpiry(Duration.ofHours(1)).build();
        ResumableUploads uploads = ResumableUploads.open(store(node), temp.resolve(node).resolve("staging"), config,
                clock);
        opened.add(uploads);
        return uploads;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
