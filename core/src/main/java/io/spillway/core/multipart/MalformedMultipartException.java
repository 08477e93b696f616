package io.spillway.core.multipart;

import io.spillway.core.UploadRejectedException;

/** A multipart body whose structure is broken: answered with 400. */
public final class MalformedMultipartException extends UploadRejectedException {

    private static final long serialVersionUID = 1L;

    public MalformedMultipartException(String reason) {
        super(400, reason);
    }

    public MalformedMultipartException(String reason, Throwable cause) {
        super(400, reason, cause);
    }
}
