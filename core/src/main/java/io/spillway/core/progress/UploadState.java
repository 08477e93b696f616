package io.spillway.core.progress;

import java.util.Locale;

/** Where an upload stands, as progress reports it. */
public enum UploadState {
    /** Body bytes are arriving (for a resumable upload: between and during its requests). */
    RECEIVING,
    /** Every byte has arrived; the pieces are being put together. */
    ASSEMBLING,
    /** Every byte has arrived and was stored; the application has the upload. */
    DONE,
    /** The upload was refused or broke off; the reason says why. */
    FAILED;

    /** The lower-case name used in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the upload has ended, one way or the other. */
    public boolean isFinal() {
        return this == DONE || this == FAILED;
    }
}
