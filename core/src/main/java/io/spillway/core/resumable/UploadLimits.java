package io.spillway.core.resumable;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.Sizes;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.storage.ResumableStore;
import io.spillway.core.storage.UploadIds;
import java.io.IOException;

/**
 * The checks the engine makes before it creates or writes anything: a well-formed id, a declared
 * length within {@code maxFileSize}, and room on the store above {@code diskReserve}.
 */
final class UploadLimits {

    private final ResumableStore store;
    private final SpillwayConfig config;

    UploadLimits(ResumableStore store, SpillwayConfig config) {
        this.store = store;
        this.config = config;
    }

    /** @throws UploadRejectedException 400 for a negative length, 413 over {@code maxFileSize} */
    void checkTotal(long total) throws UploadRejectedException {
        if (total < 0) {
            throw UploadRejectedException.badRequest("upload length must not be negative: " + total);
        }
        if (total > config.maxFileSize()) {
            throw UploadRejectedException.tooLarge("upload of " + Sizes.format(total) + " exceeds maxFileSize of "
                    + Sizes.format(config.maxFileSize()));
        }
    }

    /** @throws UploadRejectedException 507 when the bytes do not fit above {@code diskReserve} */
    void requireDisk(long bytes) throws IOException {
        long free = store.usableSpace() - config.diskReserve();
        if (bytes > free) {
            throw new UploadRejectedException(507, "not enough disk space: " + Sizes.format(bytes) + " needed, "
                    + Sizes.format(Math.max(0, free)) + " free above the diskReserve");
        }
    }

    /** @throws UploadRejectedException 404 for an id the engine could never have made */
    static void requireWellFormed(String id) throws UploadRejectedException {
        if (!UploadIds.isValid(id)) {
            throw new UploadRejectedException(404, "unknown upload id");
        }
    }
}
