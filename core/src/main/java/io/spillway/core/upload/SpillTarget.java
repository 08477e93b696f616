package io.spillway.core.upload;

import io.spillway.core.storage.TempStorage;
import java.io.IOException;

/**
 * Where the bytes of a part go once they no longer fit in memory: by default a file in the private
 * temp directory ({@link #tempFiles}); with {@code streamedStorage=store}, an object store that a
 * {@link SpillTargetProvider} supplies (for example {@code spillway-s3.jar}), so that core and the
 * filter never depend on a store's client library.
 *
 * <p>A target is shared by every request of a filter; each spilled part gets its own
 * {@link SpillWriter}.
 */
public interface SpillTarget extends AutoCloseable {

    /**
     * Starts storing one part. The bytes already held in memory are written first, then the rest
     * as it arrives.
     *
     * @param diskGuard checks free local disk space while writing (a remote target ignores it)
     * @throws io.spillway.core.UploadRejectedException 507 when nothing can be stored, 503 when the
     *                                                  target is unavailable or has no memory for a buffer
     */
    SpillWriter open(DiskGuard diskGuard) throws IOException;

    /**
     * Free local bytes that spilled parts would use: the temp directory's free space for local files,
     * {@link Long#MAX_VALUE} for a remote store (its own errors answer 507 when it is full).
     */
    long usableSpace();

    /** Whether spilled parts stay on this server's disk. */
    default boolean isLocal() {
        return false;
    }

    /** Releases what the target holds (a store's client); parts already handed out stay valid. */
    @Override
    default void close() {
    }

    /** Today's behaviour and the default: one {@code 0600} file per spilled part in {@code storage}. */
    static SpillTarget tempFiles(TempStorage storage) {
        return new TempFileTarget(storage);
    }
}
