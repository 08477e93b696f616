package io.spillway.servlet.protocol;

import io.spillway.core.UploadRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * A resumable upload protocol the filter answers itself (Content-Range slices, tus 1.0).
 *
 * <p>The filter asks each protocol in turn whether a request belongs to it. The protocol then
 * either answers the request completely (an intermediate chunk, a status query, an OPTIONS) and
 * returns empty, or stores the last bytes and returns the {@link CompletedUpload}, which the
 * filter hands to the application as a normal multipart request.
 */
public interface UploadProtocol {

    /** Whether this request belongs to the protocol. Must be cheap and read no body. */
    boolean matches(HttpServletRequest request);

    /**
     * Handles a request that {@link #matches} accepted.
     *
     * @return the completed upload to send down the chain, or empty when the response was written
     * @throws UploadRejectedException for every client error; the filter answers it with its status
     *                                 and reason, after the protocol has cleaned up what the
     *                                 request left (the upload's earlier state stays unchanged)
     */
    Optional<CompletedUpload> handle(HttpServletRequest request, HttpServletResponse response) throws IOException;

    /** Stops background work (expiry sweeper) and releases resources; stored uploads survive. */
    default void close() {
    }
}
