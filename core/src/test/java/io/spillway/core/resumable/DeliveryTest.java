package io.spillway.core.resumable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.storage.LocalResumableStore;
import io.spillway.core.storage.ResumableStore;
import io.spillway.core.testing.ForwardingResumableStore;
import io.spillway.core.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery of complete uploads: what happens when the completing request fails before the
 * application had the file, when the failure cannot even be recorded, and which complete uploads a
 * server reopens at start-up on its own store and on a store shared with other servers.
 */
class DeliveryTest {

    private static final byte[] FILE = "0123456789abcdefghij".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @TempDir
    Path tempRoot;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final SpillwayConfig config = SpillwayConfig.custom().diskReserve(0).build();
    private final List<ResumableUploads> opened = new ArrayList<>();
    private TestStore store;

    @BeforeEach
    void openStore() throws IOException {
        store = new TestStore(LocalResumableStore.open(tempRoot));
    }

    @AfterEach
    void close() {
        opened.forEach(ResumableUploads::close);
    }

    @Test
    void aFailedCompletion_marksTheUploadUndelivered_andExactlyOneClaimDeliversIt() throws Exception {
        ResumableUploads uploads = open();
        String id = sendAllAndFailItsCompletion(uploads, false);

        UploadState undelivered = uploads.status(id, null);
        assertFalse(undelivered.complete());
        assertTrue(undelivered.fullyReceived());
        Optional<UploadState> claimed = uploads.claimDelivery(id, null);
        assertTrue(claimed.isPresent());
        assertTrue(claimed.get().complete());
        assertTrue(uploads.claimDelivery(id, null).isEmpty(), "a second claim finds it complete");
        assertArrayEquals(FILE, Files.readAllBytes(uploads.completedFile(id)));
    }

    @Test
    void aFailedCompletion_isDeliveredByTheResentLastChunk() throws Exception {
        ResumableUploads uploads = open();
        String id = sendAllAndFailItsCompletion(uploads, false);

        assertTrue(sendLast(uploads, id).completed());
        assertArrayEquals(FILE, Files.readAllBytes(uploads.completedFile(id)));
    }

    @Test
    void aFailureThatCannotBeRecorded_leavesTheUploadComplete_untilTheDeliveryGraceHasPassed() throws Exception {
        ResumableUploads uploads = open();
        String id = sendAllAndFailItsCompletion(uploads, true);

        assertEquals("upload is already complete", assertThrows(UploadRejectedException.class,
                () -> sendLast(uploads, id)).reason());
        assertTrue(uploads.claimDelivery(id, null).isEmpty());
        clock.advance(ResumableUploads.DELIVERY_GRACE.minusSeconds(1));
        assertEquals(409, assertThrows(UploadRejectedException.class, () -> sendLast(uploads, id)).status());

        clock.advance(Duration.ofSeconds(1));
        assertTrue(sendLast(uploads, id).completed(), "after the grace the upload is reopened and completes again");
    }

    @Test
    void claimDelivery_ofAnUploadWithMissingBytes_claimsNothing() throws Exception {
        ResumableUploads uploads = open();
        UploadState state = uploads.create(spec());
        uploads.writeRange(state.id(), null, ContentRange.parse("bytes 0-9/20"), 10, new ByteArrayInputStream(FILE, 0, 10));

        assertTrue(uploads.claimDelivery(state.id(), null).isEmpty());
        assertFalse(uploads.status(state.id(), null).complete());
    }

    @Test
    void startUp_onItsOwnStore_reopensACompleteUploadAtOnce() throws Exception {
        String id = sendAll(open());

        open();

        assertFalse(storedState(id).complete());
    }

    @Test
    void startUp_onASharedStore_leavesAYoungCompleteUpload_andReopensItAfterTheGrace() throws Exception {
        store.shared = true;
        String id = sendAll(open());

        open();
        assertTrue(storedState(id).complete(), "another server may be delivering it");

        clock.advance(ResumableUploads.DELIVERY_GRACE);
        open();
        assertFalse(storedState(id).complete());
    }

    private ResumableUploads open() throws IOException {
        ResumableUploads uploads = ResumableUploads.open(store, tempRoot.resolve("staging"), config, clock);
        opened.add(uploads);
        return uploads;
    }

    /**
     * Sends the whole file and lets its completion fail: while the completed file is asked for, the
     * store cannot materialize it, nor, when {@code unrecordable}, record any change of state.
     */
    private String sendAllAndFailItsCompletion(ResumableUploads uploads, boolean unrecordable) throws IOException {
        String id = sendAll(uploads);
        store.failMaterialize = true;
        store.failStateChanges = unrecordable;
        assertThrows(UploadRejectedException.class, () -> uploads.completedFile(id));
        store.failMaterialize = false;
        store.failStateChanges = false;
        return id;
    }

    private String sendAll(ResumableUploads uploads) throws IOException {
        UploadState state = uploads.create(spec());
        uploads.writeRange(state.id(), null, ContentRange.parse("bytes 0-9/20"), 10, new ByteArrayInputStream(FILE, 0, 10));
        assertTrue(sendLast(uploads, state.id()).completed());
        return state.id();
    }

    private static WriteOutcome sendLast(ResumableUploads uploads, String id) throws IOException {
        return uploads.writeRange(id, null, ContentRange.parse("bytes 10-19/20"), 10,
                new ByteArrayInputStream(FILE, 10, 10));
    }

    private UploadState storedState(String id) throws IOException {
        return UploadState.fromJson(store.readState(id).orElseThrow().json());
    }

    private static NewUpload spec() {
        return new NewUpload(UploadState.CONTENT_RANGE, FILE.length, "f.bin", "file", "application/octet-stream",
                null, null, null);
    }

    /** The local store, optionally claiming to be shared, whose assembly or state changes can be made to fail. */
    private static final class TestStore extends ForwardingResumableStore {
        volatile boolean shared;
        volatile boolean failMaterialize;
        volatile boolean failStateChanges;

        TestStore(ResumableStore delegate) {
            super(delegate);
        }

        @Override
        public Optional<String> replaceState(String id, String expectedVersion, String stateJson) throws IOException {
            if (failStateChanges) {
                throw new UploadRejectedException(503, "store unavailable (test)");
            }
            return super.replaceState(id, expectedVersion, stateJson);
        }

        @Override
        public Path materialize(String id) throws IOException {
            if (failMaterialize) {
                throw new UploadRejectedException(503, "store unavailable while assembling (test)");
            }
            return super.materialize(id);
        }

        @Override
        public boolean shared() {
            return shared;
        }
    }
}
