package io.spillway.servlet.protocol;

import io.spillway.core.progress.UploadProgress;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The filter's side of {@link UploadTracking}: what the filter attaches to a resumable protocol
 * request (as the request attribute {@link #ATTRIBUTE}) so that the protocol can report progress
 * and refuse cleanly without knowing the filter's classes.
 *
 * <p>Protocols do not call it directly; they go through {@link UploadTracking}, which also
 * answers for a request that did not come through the filter.
 */
public interface UploadTracker {

    /** The request attribute under which the filter attaches the tracker of a request. */
    String ATTRIBUTE = UploadTracker.class.getName();

    /**
     * Attaches a resumable upload's progress to this request: body bytes read from now on count
     * for it.
     */
    UploadProgress resumableProgress(String uploadId, long total, long alreadyStored);

    /**
     * A newer request for the same upload took over: the body read of this request ends now and
     * the request answers 400.
     */
    void supersede();

    /**
     * The action the engine runs to make this request let go of its upload ({@link #supersede}),
     * marked as a {@link io.spillway.core.resumable.LateWriter} when the request's body is applied
     * after its connection failed, so that it supersedes nobody.
     */
    default Runnable releaser() {
        return this::supersede;
    }

    /**
     * Lifts the container's failed-response mark left by a body read that Spillway broke on
     * purpose, so that the protocol's own refusal goes out. Does nothing otherwise.
     */
    void beforeRefusal(HttpServletRequest request, HttpServletResponse response);
}
