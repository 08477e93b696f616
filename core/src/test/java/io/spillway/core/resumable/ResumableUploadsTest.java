package io.spillway.core.resumable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.storage.BoundedInputStream;
import io.spillway.core.storage.LocalResumableStore;
import io.spillway.core.storage.ResumableStore;
import io.spillway.core.storage.UploadIds;
import io.spillway.core.testing.ForwardingResumableStore;
import io.spillway.core.testing.Latches;
import io.spillway.core.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class ResumableUploadsTest {

    private static final Duration STALL = Duration.ofSeconds(10);

    @TempDir
    Path tempRoot;

    private final MutableClock clock = new MutableClock(Instant.now());
    private SpillwayConfig config;
    private LocalResumableStore store;
    private ResumableUploads uploads;

    @BeforeEach
    void open() throws Exception {
        config = SpillwayConfig.custom().maxFileSize(8L << 20).maxRequestSize(8L << 20).diskReserve(0)
                .stalledUploadTimeout(STALL).build();
        store = LocalResumableStore.open(tempRoot);
        uploads = reopen(store);
    }

    @AfterEach
    void close() {
        uploads.close();
    }

    private ResumableUploads reopen(ResumableStore backing) throws IOException {
        return ResumableUploads.open(backing, tempRoot.resolve("resumable").resolve("staging"), config, clock);
    }

    // ---- creation limits

    @Test
    void create_overMaxFileSize_is413_andCreatesNothing() {
        UploadRejectedException e = assertThrows(UploadRejectedException.class,
                () -> uploads.create(spec((8L << 20) + 1)));
        assertRefused(413, "upload of 8.0 MiB exceeds maxFileSize of 8.0 MiB", e);
        assertEquals(Map.of(), DiskSnapshot.of(tempRoot));
        assertEquals(List.of(), uploadDirectories());
    }

    @Test
    void create_overFreeDisk_is507_andCreatesNothing() throws Exception {
        config = config.toBuilder().diskReserve(1000).build();
        ResumableUploads tight = reopen(new ForwardingResumableStore(store) {
            @Override
            public long usableSpace() {
                return 1500;
            }
        });
        assertEquals(507, assertThrows(UploadRejectedException.class, () -> tight.create(spec(501))).status());
        assertEquals(List.of(), uploadDirectories());
        assertEquals(500, tight.create(spec(500)).total());
    }

    // ---- Content-Range assembly

    @Test
    void shuffledChunks_withOneRetransmission_assembleExactlyOnce() throws Exception {
        byte[] file = payload(1 << 20, 1);
        UploadState state = uploads.create(spec(file.length));
        List<long[]> chunks = slices(file.length, 100_000);
        Collections.shuffle(chunks, new Random(7));
        chunks.add(chunks.size() / 2, chunks.get(0));
        int completions = 0;
        for (long[] c : chunks) {
            WriteOutcome outcome = sendRange(state.id(), file, c[0], c[1]);
            completions += outcome.completed() ? 1 : 0;
        }
        assertEquals(1, completions);
        assertArrayEquals(file, Files.readAllBytes(uploads.completedFile(state.id())));
    }

    @Test
    void exclusiveEnd_isAccepted_whenBodyLengthProvesIt() throws Exception {
        byte[] file = payload(1000, 2);
        UploadState state = uploads.create(spec(file.length));
        uploads.writeRange(state.id(), null, ContentRange.parse("bytes 0-600/1000"), 600, slice(file, 0, 600));
        WriteOutcome last = uploads.writeRange(state.id(), null, ContentRange.parse("bytes 600-1000/1000"), -1,
                slice(file, 600, 1000));
        assertTrue(last.completed());
        assertArrayEquals(file, Files.readAllBytes(uploads.completedFile(state.id())));
    }

    @Test
    void retransmission_withSameBytes_isIdempotent() throws Exception {
        byte[] file = payload(1000, 3);
        UploadState state = uploads.create(spec(file.length));
        sendRange(state.id(), file, 0, 500);
        WriteOutcome again = sendRange(state.id(), file, 0, 500);
        assertEquals(500, again.state().offset());
        assertEquals(1, again.state().received().spanCount());
    }

    @Test
    void retransmission_withOtherBytes_is409_andChangesNothing() throws Exception {
        byte[] file = payload(1000, 4);
        UploadState state = uploads.create(spec(file.length));
        sendRange(state.id(), file, 0, 500);
        UploadRejectedException e = refusedWithoutChange(() -> sendRange(state.id(), flipped(file, 250), 0, 500));
        assertRefused(409, "bytes 0-499 differ from the bytes already received", e);
    }

    @Test
    void overlappingChunk_withOtherBytes_is409_evenWhenMostlyNew() throws Exception {
        byte[] file = payload(1000, 5);
        UploadState state = uploads.create(spec(file.length));
        sendRange(state.id(), file, 400, 500);
        assertEquals(409, refusedWithoutChange(() -> sendRange(state.id(), flipped(file, 450), 0, 1000)).status());
        assertTrue(sendRange(state.id(), file, 0, 1000).completed(), "the same overlap with equal bytes completes");
    }

    @Test
    void bodyShorterThanRange_is400_andChangesNothing() throws Exception {
        byte[] file = payload(1000, 6);
        UploadState state = uploads.create(spec(file.length));
        sendRange(state.id(), file, 0, 100);
        assertEquals(400, refusedWithoutChange(() -> uploads.writeRange(state.id(), null,
                ContentRange.parse("bytes 100-299/1000"), -1, slice(file, 100, 250))).status());
    }

    @Test
    void bodyLongerThanRange_is400_andChangesNothing() throws Exception {
        byte[] file = payload(1000, 7);
        UploadState state = uploads.create(spec(file.length));
        assertEquals(400, refusedWithoutChange(() -> uploads.writeRange(state.id(), null,
                ContentRange.parse("bytes 0-99/1000"), -1, slice(file, 0, 300))).status());
    }

    @Test
    void declaredLengthMismatch_is400_beforeReadingTheBody() throws Exception {
        UploadState state = uploads.create(spec(1000));
        InputStream untouchable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("body must not be read");
            }
        };
        assertEquals(400, assertThrows(UploadRejectedException.class, () -> uploads.writeRange(state.id(), null,
                ContentRange.parse("bytes 0-99/1000"), 50, untouchable)).status());
    }

    @Test
    void clientAbortMidChunk_is400_andKeepsNothing() throws Exception {
        byte[] file = payload(1000, 8);
        UploadState state = uploads.create(spec(file.length));
        assertEquals(400, refusedWithoutChange(() -> uploads.writeRange(state.id(), null,
                ContentRange.parse("bytes 0-999/1000"), 1000, abortingAfter(file, 600))).status());
        assertEquals(0, uploads.status(state.id(), null).offset());
    }

    @Test
    void totalChangedBetweenChunks_is409_andChangesNothing() throws Exception {
        byte[] file = payload(1000, 9);
        UploadState state = uploads.create(spec(file.length));
        sendRange(state.id(), file, 0, 100);
        UploadRejectedException e = refusedWithoutChange(() -> uploads.writeRange(state.id(), null,
                ContentRange.parse("bytes 100-199/2000"), 100, slice(file, 100, 200)));
        assertRefused(409, "total length changed from 1000 to 2000", e);
    }

    @Test
    void chunkAfterCompletion_is409WhileDelivering_andCompletedGoneOnceFinished() throws Exception {
        byte[] file = payload(1000, 10);
        UploadState state = uploads.create(spec(file.length));
        assertTrue(sendRange(state.id(), file, 0, 1000).completed());
        assertEquals(409, assertThrows(UploadRejectedException.class,
                () -> sendRange(state.id(), file, 0, 1000)).status());
        uploads.finish(state.id());
        assertEquals(List.of(), uploadDirectories());
        assertEquals(UploadGoneException.Reason.COMPLETED, assertThrows(UploadGoneException.class,
                () -> sendRange(state.id(), file, 0, 1000)).why(), "each protocol answers this in its own way");
        UploadGoneException gone = assertThrows(UploadGoneException.class, () -> uploads.status(state.id(), null));
        assertEquals(UploadGoneException.Reason.COMPLETED, gone.why());
        assertEquals(1000, gone.total());
    }

    @Test
    void uploadWithGap_neverCompletes() throws Exception {
        byte[] file = payload(1000, 11);
        UploadState state = uploads.create(spec(file.length));
        assertFalse(sendRange(state.id(), file, 0, 499).completed());
        assertFalse(sendRange(state.id(), file, 500, 1000).completed());
        assertFalse(sendRange(state.id(), file, 0, 499).completed());
        UploadState now = uploads.status(state.id(), null);
        assertEquals(499, now.offset());
        assertEquals(999, now.received().byteCount());
        assertFalse(now.complete());
        assertTrue(sendRange(state.id(), file, 499, 500).completed());
    }

    @Test
    void failedWriteToTheStore_is507_andLeavesNothingExtra() throws Exception {
        byte[] file = payload(1000, 31);
        UploadState state = uploads.create(spec(file.length));
        sendRange(state.id(), file, 0, 100);
        ResumableUploads failing = reopen(new ForwardingResumableStore(store) {
            @Override
            public void write(String id, long offset, InputStream bytes, long length) throws IOException {
                super.write(id, offset, new BoundedInputStream(bytes, length / 2), length / 2);
                throw new IOException("No space left on device");
            }
        });
        assertEquals(507, refusedWithoutChange(() -> failing.writeRange(state.id(), null,
                ContentRange.parse("bytes 500-999/1000"), 500, slice(file, 500, 1000))).status());
        assertEquals(100, Files.size(store.root().resolve(state.id()).resolve("data")));
    }

    @Test
    void tooManyGaps_is400() throws Exception {
        uploads.limitSpans(20);
        UploadState state = uploads.create(spec(10_000));
        byte[] file = payload(10_000, 12);
        for (int i = 0; i < 20; i++) {
            sendRange(state.id(), file, 2L * i, 2L * i + 1);
        }
        assertEquals(400, assertThrows(UploadRejectedException.class,
                () -> sendRange(state.id(), file, 5000, 5001)).status());
        assertEquals(19, sendRange(state.id(), file, 1, 2).state().received().spanCount(), "filling a gap is allowed");
    }

    @Test
    void malformedIds_are404_andTouchNothing() throws Exception {
        uploads.create(spec(10));
        Map<String, String> before = DiskSnapshot.of(tempRoot);
        for (String bad : List.of("../x", "%00", "\u0000", "x".repeat(10_240), "../" + UploadIds.newId(),
                UploadIds.newId().toUpperCase(java.util.Locale.ROOT))) {
            assertEquals(404, assertThrows(UploadRejectedException.class, () -> uploads.status(bad, null)).status());
            assertEquals(404, assertThrows(UploadRejectedException.class, () -> uploads.writeRange(bad, null,
                    ContentRange.parse("bytes 0-1/10"), 2, slice(new byte[2], 0, 2))).status());
            assertEquals(404, assertThrows(UploadRejectedException.class,
                    () -> uploads.append(bad, null, 0, 2, slice(new byte[2], 0, 2), null)).status());
            assertEquals(404, assertThrows(UploadRejectedException.class, () -> uploads.terminate(bad, null)).status());
        }
        assertEquals(404, assertThrows(UploadRejectedException.class,
                () -> uploads.status(UploadIds.newId(), null)).status());
        assertEquals(before, DiskSnapshot.of(tempRoot));
    }

    @Test
    void anotherUsersUpload_is404() throws Exception {
        UploadState mine = uploads.create(new NewUpload(UploadState.CONTENT_RANGE, 10, "f", "file",
                "application/octet-stream", null, "alice", null));
        assertEquals(404, assertThrows(UploadRejectedException.class, () -> uploads.status(mine.id(), "bob")).status());
        assertEquals(404, assertThrows(UploadRejectedException.class, () -> uploads.status(mine.id(), null)).status());
        assertEquals(404, assertThrows(UploadRejectedException.class, () -> uploads.writeRange(mine.id(), "bob",
                ContentRange.parse("bytes 0-9/10"), 10, slice(new byte[10], 0, 10))).status());
        assertEquals(10, uploads.status(mine.id(), "alice").total());
    }

    // ---- concurrency

    @Test
    void eightConcurrentFinalChunks_completeExactlyOnce_theOthersAreSupersededOrTooLate() throws Exception {
        byte[] file = payload(400_000, 13);
        UploadState state = uploads.create(spec(file.length));
        sendRange(state.id(), file, 0, 300_000);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    WakeableStream body = new WakeableStream(slice(file, 300_000, 400_000));
                    await(start);
                    try {
                        return uploads.writeRange(state.id(), null, ContentRange.parse("bytes 300000-399999/400000"),
                                100_000, body, body::wake);
                    } catch (UploadRejectedException e) {
                        return e.status();
                    }
                }));
            }
            start.countDown();
            int completed = 0;
            List<Object> statuses = new ArrayList<>();
            for (Future<Object> f : results) {
                Object r = f.get(30, TimeUnit.SECONDS);
                if (r instanceof WriteOutcome outcome && outcome.completed()) {
                    completed++;
                } else {
                    statuses.add(r);
                }
            }
            assertEquals(1, completed);
            assertEquals(7, statuses.size());
            assertTrue(statuses.stream().allMatch(s -> s.equals(400) || s.equals(409)), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(DiskSnapshot.sha256(file), DiskSnapshot.sha256(uploads.completedFile(state.id())));
        assertEquals(0, stagingFiles());
    }

    @Test
    void writerThatCannotBeWoken_isRevoked_afterTheReleaseWait_andItsLateChunkIsDiscarded() throws Exception {
        byte[] file = payload(100_000, 14);
        UploadState state = uploads.create(spec(file.length));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        InputStream stalling = new BlockReadStream() {
            private final InputStream data = slice(file, 0, 100_000);
            private int served;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served >= 1000) {
                    started.countDown();
                    await(resume);
                }
                int n = data.read(b, off, Math.min(len, 1000));
                served += Math.max(n, 0);
                return n;
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Object> stalled = pool.submit(() -> {
                try {
                    return uploads.writeRange(state.id(), null, ContentRange.parse("bytes 0-99999/100000"), 100_000,
                            stalling);
                } catch (UploadRejectedException e) {
                    return e;
                }
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            assertTrue(sendRange(state.id(), file, 0, 100_000).completed(),
                    "the new request takes over without waiting for the stall timeout");
            resume.countDown();
            assertSuperseded(stalled.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, stagingFiles());
        assertArrayEquals(file, Files.readAllBytes(uploads.completedFile(state.id())));
    }

    @Test
    void newChunk_whileAWriterTrickles_asksItToLetGo_andGoesOnFromWhatItKept() throws Exception {
        byte[] file = payload(100_000, 15);
        UploadState state = whileAnAppendIsDropped(file, (id, first) -> {
            long offset = uploads.status(id, null).offset();
            Object superseded = first.get(10, TimeUnit.SECONDS);
            assertTrue(superseded instanceof UploadRejectedException e && e.status() == 400
                    && e.getMessage().equals("superseded by a newer request for this upload; " + offset + " bytes kept"),
                    String.valueOf(superseded));
            assertTrue(offset >= 20_000 && offset < 100_000, "kept " + offset);
            WriteOutcome rest = uploads.append(id, null, offset, file.length - offset,
                    slice(file, (int) offset, file.length), null);
            assertTrue(rest.completed());
        });
        assertArrayEquals(file, Files.readAllBytes(uploads.completedFile(state.id())));
        assertEquals(0, stagingFiles());
    }

    /**
     * The new request was sent from the offset the client last knew, before the server had even
     * begun the request it supersedes; what that request kept is compared with the resent bytes,
     * not refused with an offset mismatch, and not written twice.
     */
    @Test
    void appendThatTakesOver_mayResendWhatTheSupersededWriterKept() throws Exception {
        byte[] file = payload(100_000, 16);
        UploadState state = whileAnAppendIsDropped(file, (id, first) -> {
            WriteOutcome resent = uploads.append(id, null, 0, file.length, slice(file, 0, file.length), null);
            assertTrue(resent.completed());
            assertSuperseded(first.get(10, TimeUnit.SECONDS));
        });
        assertArrayEquals(file, Files.readAllBytes(uploads.completedFile(state.id())));
        assertEquals(0, stagingFiles());
    }

    @Test
    void appendThatTakesOver_withBytesThatDifferFromTheKeptOnes_is409_andChangesNothing() throws Exception {
        UploadState state = whileAnAppendIsDropped(payload(100_000, 17), (id, first) -> {
            byte[] other = payload(100_000, 18);
            UploadRejectedException refused = assertThrows(UploadRejectedException.class, () -> uploads.append(
                    id, null, 0, other.length, slice(other, 0, other.length), null));
            assertEquals(409, refused.status());
            assertTrue(refused.getMessage().contains("differ from the bytes already received"), refused.getMessage());
            first.get(10, TimeUnit.SECONDS);
        });
        long kept = uploads.status(state.id(), null).offset();
        assertTrue(kept >= 20_000 && kept < 100_000, "the first writer's bytes stay: " + kept);
        assertEquals(0, stagingFiles());
    }

    /** What a test does with an upload while the first append of its bytes is dropped by its client. */
    @FunctionalInterface
    private interface WhileDropped {
        void run(String id, Future<Object> first) throws Exception;
    }

    /**
     * Creates a tus upload of {@code file}, starts an append of its first 100,000 bytes that is
     * dropped once the server has read 20,000 (a request whose client went away while the server
     * still reads), runs {@code test} meanwhile, and returns the upload.
     */
    private UploadState whileAnAppendIsDropped(byte[] file, WhileDropped test) throws Exception {
        UploadState state = uploads.create(tusSpec(file.length));
        WakeableStream dropped = new WakeableStream(slice(file, 0, 100_000));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Object> first = pool.submit(() -> {
                try {
                    return uploads.append(state.id(), null, 0, 100_000, dropped, null, dropped::wake);
                } catch (UploadRejectedException e) {
                    return e;
                }
            });
            dropped.awaitServed(20_000);
            test.run(state.id(), first);
        } finally {
            pool.shutdownNow();
        }
        return state;
    }

    private static void assertSuperseded(Object ended) {
        assertTrue(ended instanceof UploadRejectedException e && e.status() == 400
                && e.getMessage().startsWith("superseded"), String.valueOf(ended));
    }

    @Test
    void status_whileAWriterIsActive_waitsForTheSettledOffset() throws Exception {
        byte[] file = payload(100_000, 30);
        UploadState state = uploads.create(tusSpec(file.length));
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<WriteOutcome> writer = pool.submit(() -> uploads.append(state.id(), null, 0, 60_000,
                    new GatedStream(slice(file, 0, 60_000), gate), null));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> stagingFiles() > 0);
            CompletableFuture.runAsync(gate::countDown, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
            assertEquals(60_000, uploads.status(state.id(), null).offset(), "status waits for the writer to end");
            assertEquals(60_000, writer.get(10, TimeUnit.SECONDS).state().offset());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void status_whileAWriterKeepsWriting_asksItToLetGo_andAnswersTheSettledOffset() throws Exception {
        UploadState state = uploads.create(tusSpec(1_000_000));
        WakeableStream trickle = new WakeableStream(endlessOnes());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Object> writer = pool.submit(() -> {
                try {
                    return uploads.append(state.id(), null, 0, -1, trickle, null, trickle::wake);
                } catch (UploadRejectedException e) {
                    return e;
                }
            });
            trickle.awaitServed(5000);
            long settled = uploads.status(state.id(), null).offset();
            assertTrue(settled >= 5000, "kept " + settled);
            Object ended = writer.get(10, TimeUnit.SECONDS);
            assertTrue(ended instanceof UploadRejectedException e && e.status() == 400, String.valueOf(ended));
            assertEquals(settled, uploads.status(state.id(), null).offset(), "nobody moves the offset any more");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void findOrCreate_concurrentSameKey_sharesOneUpload() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ResumableUploads.Found>> found = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                found.add(pool.submit(() -> uploads.findOrCreate(new NewUpload(UploadState.CONTENT_RANGE, 100, "a.bin",
                        "file", "application/octet-stream", null, null, "key-1"))));
            }
            String id = found.get(0).get().state().id();
            int created = 0;
            for (Future<ResumableUploads.Found> f : found) {
                assertEquals(id, f.get().state().id());
                created += f.get().created() ? 1 : 0;
            }
            assertEquals(1, created);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, uploadDirectories().size());
    }

    // ---- tus append

    @Test
    void append_sequential_completesAtTheLength() throws Exception {
        byte[] file = payload(3000, 15);
        UploadState state = uploads.create(tusSpec(file.length));
        assertFalse(uploads.append(state.id(), null, 0, 1000, slice(file, 0, 1000), null).completed());
        assertFalse(uploads.append(state.id(), null, 1000, -1, slice(file, 1000, 2500), null).completed());
        assertTheRestCompletes(state, file, 2500);
    }

    @Test
    void append_wrongOffset_is409() throws Exception {
        byte[] file = payload(3000, 16);
        UploadState state = uploads.create(tusSpec(file.length));
        uploads.append(state.id(), null, 0, 1000, slice(file, 0, 1000), null);
        UploadRejectedException e = refusedWithoutChange(
                () -> uploads.append(state.id(), null, 500, 500, slice(file, 500, 1000), null));
        assertRefused(409, "Upload-Offset 500 does not match the stored offset 1000", e);
    }

    @Test
    void append_pastTheLength_is413_declaredOrCounted() throws Exception {
        byte[] file = payload(3000, 17);
        UploadState state = uploads.create(tusSpec(1000));
        Map<String, String> before = DiskSnapshot.of(tempRoot);
        assertEquals(413, assertThrows(UploadRejectedException.class,
                () -> uploads.append(state.id(), null, 0, 1001, slice(file, 0, 1001), null)).status());
        assertEquals(413, assertThrows(UploadRejectedException.class,
                () -> uploads.append(state.id(), null, 0, -1, slice(file, 0, 3000), null)).status());
        assertEquals(before, DiskSnapshot.of(tempRoot));
    }

    @Test
    void append_checksum_mismatchIs460_matchIsStored() throws Exception {
        byte[] file = payload(1000, 18);
        UploadState state = uploads.create(tusSpec(file.length));
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(java.util.Arrays.copyOfRange(file, 0, 500));
        Map<String, String> before = DiskSnapshot.of(tempRoot);
        byte[] wrong = sha1.clone();
        wrong[0] ^= 1;
        assertEquals(460, assertThrows(UploadRejectedException.class, () -> uploads.append(state.id(), null, 0, 500,
                slice(file, 0, 500), new Checksum("SHA-1", wrong))).status());
        assertEquals(before, DiskSnapshot.of(tempRoot));
        assertEquals(500, uploads.append(state.id(), null, 0, 500, slice(file, 0, 500), new Checksum("SHA-1", sha1))
                .state().offset());
    }

    @Test
    void append_interrupted_keepsWhatArrived_unlessChecksummed() throws Exception {
        byte[] file = payload(1000, 19);
        UploadState state = uploads.create(tusSpec(file.length));
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(file);
        Map<String, String> before = DiskSnapshot.of(tempRoot);
        assertEquals(400, assertThrows(UploadRejectedException.class, () -> uploads.append(state.id(), null, 0, 1000,
                abortingAfter(file, 600), new Checksum("SHA-1", sha1))).status());
        assertEquals(before, DiskSnapshot.of(tempRoot));
        assertEquals(400, assertThrows(UploadRejectedException.class,
                () -> uploads.append(state.id(), null, 0, -1, abortingAfter(file, 600), null)).status());
        assertEquals(600, uploads.status(state.id(), null).offset());
        assertTheRestCompletes(state, file, 600);
    }

    @Test
    void zeroLengthUpload_isCompleteAtCreation() throws Exception {
        UploadState state = uploads.create(tusSpec(0));
        assertTrue(state.complete());
        assertEquals(0, Files.size(uploads.completedFile(state.id())));
    }

    @Test
    void terminate_deletesEverything_andLaterAccessIs410() throws Exception {
        UploadState state = uploads.create(tusSpec(1000));
        uploads.append(state.id(), null, 0, 10, slice(new byte[10], 0, 10), null);
        uploads.terminate(state.id(), null);
        assertEquals(List.of(), uploadDirectories());
        UploadGoneException gone = assertThrows(UploadGoneException.class, () -> uploads.status(state.id(), null));
        assertEquals(410, gone.status());
        assertEquals(UploadGoneException.Reason.TERMINATED, gone.why());
    }

    @Test
    void deferredLength_isTakenFromTheRequestThatEndsTheUpload() throws Exception {
        byte[] file = payload(100_000, 32);
        UploadState state = uploads.create(ietfSpec(UploadState.UNKNOWN_LENGTH));
        assertFalse(state.lengthKnown());
        WriteOutcome first = uploads.append(state.id(), null, 0, 60_000, slice(file, 0, 60_000), null);
        assertFalse(first.completed());
        assertEquals(UploadState.UNKNOWN_LENGTH, uploads.status(state.id(), null).total());
        WriteOutcome last = uploads.appendLast(state.id(), null, 60_000, 40_000, slice(file, 60_000, 100_000),
                () -> { });
        assertTrue(last.completed());
        assertEquals(100_000, last.state().total());
        assertArrayEquals(file, Files.readAllBytes(uploads.completedFile(state.id())));
    }

    @Test
    void deferredLength_beyondMaxFileSize_is413() throws Exception {
        UploadState state = uploads.create(ietfSpec(UploadState.UNKNOWN_LENGTH));
        UploadRejectedException tooBig = assertThrows(UploadRejectedException.class, () -> uploads.append(state.id(),
                null, 0, (8L << 20) + 1, slice(new byte[10], 0, 10), null));
        assertEquals(413, tooBig.status());
        assertEquals(0, uploads.status(state.id(), null).offset());
    }

    @Test
    void lastAppend_thatDoesNotEndAtTheKnownLength_is400_andStoresNothing() throws Exception {
        UploadState state = uploads.create(ietfSpec(1000));
        UploadRejectedException early = assertThrows(UploadRejectedException.class, () -> uploads.appendLast(
                state.id(), null, 0, 600, slice(new byte[600], 0, 600), () -> { }));
        assertRefused(400, "this request completes the upload at 600 bytes, but its length is 1000", early);
        assertEquals(0, uploads.status(state.id(), null).offset());
        assertEquals(400, assertThrows(UploadRejectedException.class, () -> uploads.create(
                new NewUpload(UploadState.TUS, UploadState.UNKNOWN_LENGTH, "f", "file", "application/octet-stream",
                        null, null, null))).status(), "only IETF uploads may leave their length unknown");
    }

    @Test
    void endings_surviveARestart_soThatLateRequestsAreToldTheUploadIsGone() throws Exception {
        UploadState terminated = uploads.create(tusSpec(1000));
        uploads.terminate(terminated.id(), null);
        byte[] file = payload(1000, 31);
        UploadState delivered = uploads.create(tusSpec(file.length));
        assertTrue(uploads.append(delivered.id(), null, 0, file.length, slice(file, 0, file.length), null).completed());
        uploads.finish(delivered.id());
        uploads.close();
        uploads = reopen(LocalResumableStore.open(tempRoot));
        assertEquals(UploadGoneException.Reason.TERMINATED, assertThrows(UploadGoneException.class,
                () -> uploads.status(terminated.id(), null)).why());
        assertEquals(410, assertThrows(UploadGoneException.class,
                () -> uploads.append(terminated.id(), null, 0, 10, slice(file, 0, 10), null)).status());
        assertEquals(UploadGoneException.Reason.COMPLETED, assertThrows(UploadGoneException.class,
                () -> uploads.status(delivered.id(), null)).why());
        assertEquals(UploadGoneException.Reason.COMPLETED, assertThrows(UploadGoneException.class,
                () -> uploads.append(delivered.id(), null, 0, 10, slice(file, 0, 10), null)).why(),
                "a late chunk of a delivered upload is told it completed");
        assertEquals(List.of(), uploadDirectories());
    }

    // ---- expiry

    @Test
    void sweep_afterExpiry_removesEveryByteAndStateFile() throws Exception {
        byte[] file = payload(100_000, 20);
        UploadState abandoned = uploads.create(spec(file.length));
        sendRange(abandoned.id(), file, 0, 60_000);
        clock.advance(Duration.ofHours(23));
        UploadState active = uploads.create(spec(file.length));
        assertEquals(0, uploads.sweep());
        clock.advance(Duration.ofHours(1));
        assertEquals(1, uploads.sweep());
        assertEquals(List.of(active.id()), uploadDirectories());
        Path ending = store.root().resolve(LocalResumableStore.ENDED).resolve(abandoned.id() + ".json");
        assertEquals(Map.of(active.id() + "/data", DiskSnapshot.sha256(new byte[0]),
                active.id() + "/state.json", DiskSnapshot.sha256(store.root().resolve(active.id()).resolve("state.json")),
                LocalResumableStore.ENDED + "/" + abandoned.id() + ".json", DiskSnapshot.sha256(ending)),
                DiskSnapshot.of(store.root()), "only the small record that the upload expired remains");
        assertEquals(UploadGoneException.Reason.EXPIRED, assertThrows(UploadGoneException.class,
                () -> uploads.status(abandoned.id(), null)).why());
        clock.advance(Duration.ofHours(24).plusMinutes(1));
        assertEquals(1, uploads.sweep(), "the other upload expires too");
        assertEquals(List.of("resumable/" + LocalResumableStore.ENDED + "/" + active.id() + ".json"),
                List.copyOf(DiskSnapshot.of(tempRoot).keySet()), "the first ending is forgotten after uploadExpiry");
        assertEquals(404, assertThrows(UploadRejectedException.class,
                () -> uploads.status(abandoned.id(), null)).status());
        clock.advance(Duration.ofHours(24).plusMinutes(1));
        assertEquals(0, uploads.sweep());
        assertEquals(Map.of(), DiskSnapshot.of(tempRoot));
    }

    @Test
    void expiry_isSlidingFromTheLastStoredBytes() throws Exception {
        byte[] file = payload(1000, 21);
        UploadState state = uploads.create(spec(file.length));
        clock.advance(Duration.ofHours(20));
        sendRange(state.id(), file, 0, 100);
        clock.advance(Duration.ofHours(20));
        assertEquals(0, uploads.sweep());
        assertEquals(100, uploads.status(state.id(), null).offset());
    }

    @Test
    void expiredUpload_accessedBeforeTheSweep_is410_andDeleted() throws Exception {
        UploadState state = uploads.create(spec(1000));
        clock.advance(Duration.ofHours(24));
        assertEquals(410, assertThrows(UploadRejectedException.class, () -> uploads.status(state.id(), null)).status());
        assertEquals(List.of(), uploadDirectories());
    }

    @Test
    void sweep_removesOrphansWithoutState_onlyOnceOldEnough() throws Exception {
        String orphan = UploadIds.newId();
        Path dir = Files.createDirectory(store.root().resolve(orphan));
        Files.write(dir.resolve("data"), new byte[100]);
        assertEquals(0, uploads.sweep());
        clock.advance(Duration.ofDays(3650));
        assertEquals(1, uploads.sweep());
        assertEquals(List.of(), uploadDirectories());
    }

    @Test
    void sweeper_runsInTheBackground() throws Exception {
        UploadState state = uploads.create(spec(1000));
        clock.advance(Duration.ofHours(25));
        uploads.startSweeping(Duration.ofMillis(20));
        Awaitility.await("upload " + state.id() + " swept").atMost(Duration.ofSeconds(30))
                .until(() -> uploadDirectories().isEmpty());
    }

    // ---- crash recovery

    @Test
    void reopen_dropsUnrecordedBytesAndStagingLeftovers() throws Exception {
        byte[] file = payload(1000, 22);
        UploadState state = uploads.create(spec(file.length));
        sendRange(state.id(), file, 0, 100);
        sendRange(state.id(), file, 200, 300);
        Path data = store.root().resolve(state.id()).resolve("data");
        try (RandomAccessFile raf = new RandomAccessFile(data.toFile(), "rw")) {
            raf.seek(300);
            raf.write(payload(200, 99));
        }
        Path staging = tempRoot.resolve("resumable").resolve("staging");
        Files.write(staging.resolve("spw-0123456789abcdef0123456789abcdef.chunk"), new byte[5000]);
        uploads.close();
        uploads = reopen(store);
        assertEquals(300, Files.size(data));
        assertEquals(0, stagingFiles());
        UploadState recovered = uploads.status(state.id(), null);
        assertEquals(List.of(new ByteRange(0, 100), new ByteRange(200, 300)), recovered.received().spans());
    }

    @Test
    void reopen_clipsStateToTheBytesReallyStored() throws Exception {
        byte[] file = payload(1000, 23);
        UploadState state = uploads.create(tusSpec(file.length));
        uploads.append(state.id(), null, 0, 800, slice(file, 0, 800), null);
        Path data = store.root().resolve(state.id()).resolve("data");
        try (RandomAccessFile raf = new RandomAccessFile(data.toFile(), "rw")) {
            raf.setLength(650);
        }
        uploads.close();
        uploads = reopen(store);
        assertEquals(650, uploads.status(state.id(), null).offset());
        assertTheRestCompletes(state, file, 650);
    }

    @Test
    void reopen_completeButNeverHandedOn_becomesResumable() throws Exception {
        byte[] file = payload(1000, 24);
        UploadState state = uploads.create(spec(file.length));
        assertTrue(sendRange(state.id(), file, 0, 1000).completed());
        uploads.close();
        uploads = reopen(store);
        UploadState recovered = uploads.status(state.id(), null);
        assertFalse(recovered.complete());
        assertTrue(recovered.fullyReceived());
        assertTrue(sendRange(state.id(), file, 500, 1000).completed());
    }

    // ---- helpers

    private WriteOutcome sendRange(String id, byte[] file, long from, long to) throws IOException {
        ContentRange range = new ContentRange(from, to - 1, file.length);
        return uploads.writeRange(id, null, range, to - from, slice(file, from, to));
    }

    /**
     * Sends a request that must be refused and checks that it left the disk as it was; returns the
     * refusal, for the test to check its status and reason.
     */
    private UploadRejectedException refusedWithoutChange(Executable request) {
        Map<String, String> before = DiskSnapshot.of(tempRoot);
        UploadRejectedException refusal = assertThrows(UploadRejectedException.class, request);
        assertEquals(before, DiskSnapshot.of(tempRoot));
        return refusal;
    }

    private static void assertRefused(int status, String reason, UploadRejectedException refusal) {
        assertEquals(status, refusal.status());
        assertEquals(reason, refusal.reason());
    }

    /** Appends the bytes of {@code file} from {@code offset} to its end and checks that they complete it. */
    private void assertTheRestCompletes(UploadState state, byte[] file, long offset) throws IOException {
        assertTrue(uploads.append(state.id(), null, offset, file.length - offset, slice(file, offset, file.length),
                null).completed());
        assertArrayEquals(file, Files.readAllBytes(uploads.completedFile(state.id())));
    }

    /** A copy of {@code file} with the byte at {@code index} changed. */
    private static byte[] flipped(byte[] file, int index) {
        byte[] other = file.clone();
        other[index] ^= 1;
        return other;
    }

    private static NewUpload spec(long total) {
        return new NewUpload(UploadState.CONTENT_RANGE, total, "f.bin", "file", "application/octet-stream", null, null,
                null);
    }

    private static NewUpload ietfSpec(long total) {
        return new NewUpload(UploadState.IETF, total, "f.bin", "file", "application/octet-stream", null, null, null);
    }

    private static NewUpload tusSpec(long total) {
        return new NewUpload(UploadState.TUS, total, "f.bin", "file", "application/octet-stream", "", null, null);
    }

    private static List<long[]> slices(long total, long size) {
        List<long[]> chunks = new ArrayList<>();
        for (long from = 0; from < total; from += size) {
            chunks.add(new long[] {from, Math.min(total, from + size)});
        }
        return chunks;
    }

    static byte[] payload(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static InputStream slice(byte[] file, long from, long to) {
        return new ByteArrayInputStream(file, (int) from, (int) (to - from));
    }

    private static InputStream abortingAfter(byte[] file, int bytes) {
        return new BlockReadStream() {
            private int served;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served >= bytes) {
                    throw new IOException("connection reset by peer");
                }
                int n = Math.min(len, bytes - served);
                System.arraycopy(file, served, b, off, n);
                served += n;
                return n;
            }
        };
    }

    /** A body of 1s that never ends. */
    private static InputStream endlessOnes() {
        return new BlockReadStream() {
            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 1);
                return len;
            }
        };
    }

    private List<String> uploadDirectories() {
        try (Stream<Path> entries = Files.list(store.root())) {
            return entries.map(p -> p.getFileName().toString()).filter(UploadIds::isValid).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long stagingFiles() throws IOException {
        try (Stream<Path> entries = Files.list(tempRoot.resolve("resumable").resolve("staging"))) {
            return entries.count();
        }
    }

    private static void await(CountDownLatch latch) throws IOException {
        Latches.await(latch, "test gate never opened", IOException::new);
    }

    /**
     * A request body read only in blocks, as a servlet container's request body is read here: the
     * single-byte read is never called, so the test bodies need to say only how their blocks come.
     */
    private abstract static class BlockReadStream extends InputStream {
        @Override
        public final int read() {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * A request body that arrives in 1000-byte pieces, a millisecond apart until as much as a test
     * awaits has come and 20 ms apart after that (so that it is still arriving when the test goes on,
     * however loaded the machine), and whose blocked read fails once {@link #wake} was called, as a
     * servlet container's read does when the request is aborted.
     */
    private static final class WakeableStream extends BlockReadStream {
        private final InputStream data;
        private final CountDownLatch woken = new CountDownLatch(1);
        private volatile long served;
        private volatile long slowAfter = Long.MAX_VALUE;

        WakeableStream(InputStream data) {
            this.data = data;
        }

        void wake() {
            woken.countDown();
        }

        void awaitServed(long bytes) {
            slowAfter = bytes;
            Awaitility.await(bytes + " bytes read").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(1)).until(() -> served >= bytes);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                if (woken.await(served < slowAfter ? 1 : 20, TimeUnit.MILLISECONDS)) {
                    throw new IOException("woken: the request was aborted");
                }
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            int n = data.read(b, off, Math.min(len, 1000));
            served += Math.max(n, 0);
            return n;
        }
    }

    /** A request body whose bytes are read only once its gate was opened. */
    private static final class GatedStream extends BlockReadStream {
        private final InputStream data;
        private final CountDownLatch gate;

        GatedStream(InputStream data, CountDownLatch gate) {
            this.data = data;
            this.gate = gate;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            await(gate);
            return data.read(b, off, len);
        }
    }
}
