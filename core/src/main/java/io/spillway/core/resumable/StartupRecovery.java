package io.spillway.core.resumable;

import io.spillway.core.storage.ResumableStore;
import io.spillway.core.storage.ResumableStore.StoredState;
import io.spillway.core.storage.ResumableStore.StoredUpload;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What the engine does once at start-up over what a previous run left: each state's spans are
 * clipped to the bytes really stored, bytes no state records are dropped, an upload that was
 * complete but never handed on becomes resumable again (at once on a store of this server's own,
 * after {@link ResumableUploads#DELIVERY_GRACE} on a shared one), and resume keys are indexed.
 */
final class StartupRecovery {

    private final StoredUploads uploads;
    private final Clock clock;

    StartupRecovery(StoredUploads uploads, Clock clock) {
        this.uploads = uploads;
        this.clock = clock;
    }

    void run() throws IOException {
        Instant now = clock.instant();
        for (StoredUpload upload : uploads.store().list()) {
            Optional<UploadState> read = uploads.readState(upload.id());
            if (read.isPresent()) {
                recover(read.get(), now);
            }
        }
    }

    private void recover(UploadState state, Instant now) throws IOException {
        ResumableStore store = uploads.store();
        long extent = store.storedExtent(state.id());
        ByteRanges clipped = state.received().clip(extent);
        store.discardBeyond(state.id(), clipped.extent());
        boolean reopen = state.complete() && (!store.shared() || DeliveryGrace.abandoned(state, now));
        if (!clipped.equals(state.received()) || reopen) {
            Optional<StoredState> stored = store.readState(state.id());
            if (stored.isPresent()) {
                store.replaceState(state.id(), stored.get().version(), state.recovered(clipped).toJson());
            }
        }
        if (state.resumeKey() != null) {
            uploads.rememberResumeKey(state.resumeKey(), state.id());
        }
    }
}
