package io.spillway.core.resumable;

import io.spillway.core.UploadRejectedException;

/**
 * A request for an upload that existed recently but no longer does: completed, terminated or
 * expired. Answered 410 unless the protocol says otherwise; {@link #total()} lets a status query
 * report a completed upload.
 */
public final class UploadGoneException extends UploadRejectedException {

    private static final long serialVersionUID = 1L;

    /** Why an upload is gone. */
    public enum Reason { COMPLETED, TERMINATED, EXPIRED }

    private final Reason why;
    private final long total;

    UploadGoneException(Reason why, long total) {
        super(410, switch (why) {
            case COMPLETED -> "upload is already complete";
            case TERMINATED -> "upload was terminated";
            case EXPIRED -> "upload expired";
        });
        this.why = why;
        this.total = total;
    }

    /** Why the upload is gone. */
    public Reason why() {
        return why;
    }

    /** The declared length the upload had. */
    public long total() {
        return total;
    }
}
