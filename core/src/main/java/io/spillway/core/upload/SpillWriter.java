package io.spillway.core.upload;

import java.io.IOException;

/**
 * The stored bytes of one part while it is being received, from a {@link SpillTarget}. Used by one
 * request thread. Until {@link #finish()} hands them over, the writer owns them: {@link #close()}
 * discards everything it stored (a temp file deleted, a multipart upload aborted), so a failed or
 * aborted upload leaves nothing behind.
 */
public interface SpillWriter extends AutoCloseable {

    /** Appends bytes to the part. */
    void write(byte[] buffer, int offset, int length) throws IOException;

    /**
     * Ends the part and returns its stored content, which the caller owns from now on. When this
     * throws, the writer still owns what it stored and {@link #close()} discards it.
     */
    PartContent finish() throws IOException;

    /** Discards everything unless {@link #finish()} handed it over; idempotent, never throws. */
    @Override
    void close();
}
