package io.spillway.core;

import java.io.IOException;

/**
 * An upload refused for a reason the client can act on: a status (400, 408, 409, 413, 415, 416,
 * 423, 503, 507) and a short reason a person can read. It is an {@link IOException} so that it
 * can travel out of stream-reading code; the filter turns it into a response, never into a 500.
 */
public class UploadRejectedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public UploadRejectedException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public UploadRejectedException(int status, String reason, Throwable cause) {
        super(reason, cause);
        this.status = status;
    }

    /** The HTTP status the client should receive. */
    public int status() {
        return status;
    }

    /** The short reason, safe to show to the client. */
    public String reason() {
        return getMessage();
    }

    public static UploadRejectedException badRequest(String reason) {
        return new UploadRejectedException(400, reason);
    }

    public static UploadRejectedException tooLarge(String reason) {
        return new UploadRejectedException(413, reason);
    }
}
