package io.spillway.core.upload;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.Sizes;
import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * Keeps streamed writes out of the disk reserve. Free space is checked again after every
 * {@value #CHECK_EVERY} bytes written, so an upload whose length was unknown (or a disk that other
 * writers fill) ends in 507 before the reserve is touched, not in a full disk.
 */
public final class DiskGuard {

    static final long CHECK_EVERY = 8L << 20;

    private final LongSupplier usableSpace;
    private final long reserve;
    private long sinceCheck = CHECK_EVERY;

    public DiskGuard(LongSupplier usableSpace, long reserve) {
        this.usableSpace = usableSpace;
        this.reserve = reserve;
    }

    /** A guard that never refuses (tests, or stores that are not local disks). */
    public static DiskGuard unlimited() {
        return new DiskGuard(() -> Long.MAX_VALUE, 0);
    }

    void beforeWrite(long bytes) throws UploadRejectedException {
        sinceCheck += bytes;
        if (sinceCheck < CHECK_EVERY) {
            return;
        }
        sinceCheck = 0;
        long free = usableSpace.getAsLong();
        if (free - bytes < reserve) {
            throw new UploadRejectedException(507, "not enough disk space: " + Sizes.format(Math.max(0, free))
                    + " free, diskReserve is " + Sizes.format(reserve));
        }
    }

    static String describe(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("No space left") ? "no space left on device" : e.getClass().getSimpleName();
    }
}
