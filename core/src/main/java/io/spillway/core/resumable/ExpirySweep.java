package io.spillway.core.resumable;

import io.spillway.core.storage.ResumableStore.StoredUpload;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Deletes abandoned uploads: expired ones (no bytes stored for {@code uploadExpiry}, by the stored
 * expiry date) and orphans (bytes without a readable state) untouched for as long; uploads being
 * written are skipped. Expiry dates are wall-clock instants (they are stored and shown), so the
 * sweep reads the engine's {@link Clock}.
 */
final class ExpirySweep {

    private final StoredUploads uploads;
    private final WriterLeases leases;
    private final Clock clock;
    private final Duration expiry;

    ExpirySweep(StoredUploads uploads, WriterLeases leases, Clock clock, Duration expiry) {
        this.uploads = uploads;
        this.leases = leases;
        this.clock = clock;
        this.expiry = expiry;
    }

    /**
     * Forgets old endings, then deletes every abandoned upload.
     *
     * @return how many uploads were deleted
     */
    int sweep() throws IOException {
        uploads.endings().sweep();
        int deleted = 0;
        Instant now = clock.instant();
        for (StoredUpload upload : uploads.store().list()) {
            if (!leases.busy(upload.id()) && sweepOne(upload, now)) {
                deleted++;
            }
        }
        return deleted;
    }

    private boolean sweepOne(StoredUpload upload, Instant now) {
        ReentrantLock lock = uploads.lock(upload.id());
        lock.lock();
        try {
            Optional<UploadState> state = uploads.readState(upload.id());
            if (state.isPresent() && state.get().expiredAt(now)) {
                uploads.end(upload.id(), UploadGoneException.Reason.EXPIRED);
                return true;
            }
            if (state.isEmpty() && !now.isBefore(upload.lastModified().plus(expiry))) {
                uploads.deleteQuietly(upload.id());
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }
}
