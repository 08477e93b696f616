package io.spillway.core.resumable;

import io.spillway.core.storage.ResumableStore;
import io.spillway.core.storage.ResumableStore.StoredState;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Delivery is at-least-once: a complete upload belongs to the request delivering it for
 * {@link ResumableUploads#DELIVERY_GRACE}; after that, or at once when its delivery is known to
 * have failed, it becomes undelivered again so that a retry delivers it.
 */
final class DeliveryGrace {

    private static final System.Logger LOG = System.getLogger(ResumableUploads.class.getName());

    private final StoredUploads uploads;

    DeliveryGrace(StoredUploads uploads) {
        this.uploads = uploads;
    }

    /** Whether a complete upload outlived the grace without being finished. */
    static boolean abandoned(UploadState state, Instant now) {
        return !now.isBefore(state.updatedAt().plus(ResumableUploads.DELIVERY_GRACE));
    }

    /** After a failed delivery: the upload becomes undelivered again, if the store still answers. */
    void markUndelivered(String id) {
        ReentrantLock lock = uploads.lock(id);
        lock.lock();
        try {
            ResumableStore store = uploads.store();
            Optional<StoredState> saved = store.readState(id);
            if (saved.isEmpty()) {
                return;
            }
            UploadState state = UploadState.fromJson(saved.get().json());
            if (state.complete()) {
                store.replaceState(id, saved.get().version(), state.recovered(state.received()).toJson());
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "upload " + id + " could not be marked undelivered; it becomes "
                    + "resumable " + ResumableUploads.DELIVERY_GRACE.toMinutes() + " min after its last byte", e);
        } finally {
            lock.unlock();
        }
    }
}
