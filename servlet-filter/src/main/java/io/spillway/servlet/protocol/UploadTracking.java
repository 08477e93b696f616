package io.spillway.servlet.protocol;

import io.spillway.core.progress.ProgressRegistry;
import io.spillway.core.progress.UploadProgress;
import io.spillway.core.time.Ticker;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * The hook a resumable {@link UploadProtocol} uses to report progress under its upload id, which
 * is the progress id {@code UploadProgressServlet} answers for.
 *
 * <pre>{@code
 * UploadProgress progress = UploadTracking.progress(request, uploadId, total, bytesAlreadyStored);
 * try (InputStream body = request.getInputStream()) { ... store the chunk ... }   // counted as read
 * if (lastChunk) { progress.assembling(); ... assemble ... }
 * }</pre>
 *
 * <p>Call it once the upload id and the bytes already stored are known, before reading the body:
 * every body byte read after the call counts. The filter marks the progress done when the
 * protocol returns the completed upload; the entry survives between chunks and is forgotten
 * {@code progressRetention} after the last request of an abandoned upload.
 */
public final class UploadTracking {

    private UploadTracking() {
    }

    /**
     * The progress of a resumable upload, attached to this request.
     *
     * @param request       the request the filter handed to the protocol
     * @param uploadId      the protocol's upload id
     * @param total         the upload's total length, or -1 when not known yet
     * @param alreadyStored bytes stored before this request
     * @return the live progress; a detached one (reported nowhere) when the request did not come
     *         through the filter
     */
    public static UploadProgress progress(HttpServletRequest request, String uploadId, long total, long alreadyStored) {
        UploadTracker tracker = trackerOf(request);
        if (tracker == null) {
            ProgressRegistry detached = new ProgressRegistry(Clock.systemUTC(), Ticker.system(), Duration.ZERO);
            return detached.resume(uploadId, total, alreadyStored);
        }
        return tracker.resumableProgress(uploadId, total, alreadyStored);
    }

    /**
     * The action that makes this request let go of its upload when a newer request for the same
     * upload asks (lock release): its blocked body read returns at once, the bytes received so far
     * are kept, and the request ends with 400. Pass it to the engine's {@code append} and
     * {@code writeRange}.
     *
     * @return the action; one that does nothing when the request did not come through the filter
     */
    public static Runnable releaser(HttpServletRequest request) {
        UploadTracker tracker = trackerOf(request);
        return tracker == null ? () -> { } : tracker.releaser();
    }

    /**
     * Call before a protocol writes its own refusal: after a body read that Spillway broke on
     * purpose (lock release, a client below the minimum rate, a shutdown), the container has
     * already marked the response as failed and would send its own error page; this lifts that,
     * so that the protocol's short answer goes out. Does nothing otherwise.
     */
    public static void beforeRefusal(HttpServletRequest request, HttpServletResponse response) {
        UploadTracker tracker = trackerOf(request);
        if (tracker != null) {
            tracker.beforeRefusal(request, response);
        }
    }

    private static UploadTracker trackerOf(HttpServletRequest request) {
        return request.getAttribute(UploadTracker.ATTRIBUTE) instanceof UploadTracker tracker ? tracker : null;
    }
}
