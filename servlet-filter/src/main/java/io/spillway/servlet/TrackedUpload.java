package io.spillway.servlet;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.activity.ActiveUpload;
import io.spillway.core.metrics.UploadCounters;
import io.spillway.core.progress.ProgressRegistry;
import io.spillway.core.progress.UploadProgress;
import io.spillway.core.resumable.LateWriter;
import io.spillway.core.routing.Route;
import io.spillway.servlet.protocol.UploadTracker;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One upload request as the operations side sees it, from the filter's first look to the end of
 * its cleanup: in flight (health, metrics, shutdown), its body metered and rate-guarded, its
 * progress fed. The filter calls one method per stage; {@link #close()} ends it on every path.
 */
final class TrackedUpload implements UploadTracker {

    /** Route label while the route is not decided yet. */
    static final String ROUTING = "ROUTING";
    /** Route label of a resumable protocol request. */
    static final String RESUMABLE = "RESUMABLE";

    /** The reason a request that a newer one for the same upload superseded ends with. */
    static final String SUPERSEDED = "superseded by a newer request for this upload";

    private final String id;
    private final ActiveUpload active;
    private final MeteredRequest request;
    private final UploadCounters counters;
    private final ProgressRegistry registry;
    private final List<UploadProgress> progress = new CopyOnWriteArrayList<>();
    private final boolean singleRequest;
    private volatile boolean late;
    private boolean delivered;
    private boolean closed;

    TrackedUpload(String id, ActiveUpload active, HttpServletRequest request, UploadCounters counters,
                  ProgressRegistry registry, UploadProgress singleRequestProgress) {
        this.id = id;
        this.active = active;
        this.request = new MeteredRequest(request, active);
        this.counters = counters;
        this.registry = registry;
        this.singleRequest = singleRequestProgress != null;
        if (singleRequestProgress != null) {
            progress.add(singleRequestProgress);
            active.listen(singleRequestProgress);
        }
    }

    /**
     * The upload's id, which is also its progress id: a protocol request's is known once the
     * protocol attached its progress, null before.
     */
    String id() {
        if (id != null || progress.isEmpty()) {
            return id;
        }
        return progress.get(progress.size() - 1).id();
    }

    /** The request whose body is metered: read the body only through this one. */
    HttpServletRequest request() {
        return request;
    }

    /** The route is decided. */
    void routed(Route route) {
        if (route.kind() == Route.Kind.REJECTED) {
            return;
        }
        active.route(route.kind().name());
        counters.routed(route.kind());
        progress.forEach(p -> p.route(route.kind().name()));
    }

    /** Every byte has arrived and was stored: the upload goes to the application now. */
    void received() {
        active.bodyComplete();
        counters.complete();
        progress.forEach(UploadProgress::done);
    }

    /** A resumable upload completed by this request: counted as routed to disk. */
    void receivedResumable() {
        counters.routed(Route.Kind.STREAMED);
        received();
    }

    /**
     * The refusal recorded when the upload was aborted (too slow, shutdown), which a parser may
     * have wrapped into another exception on its way out.
     */
    Optional<UploadRejectedException> aborted() {
        return active.aborted();
    }

    /**
     * A newer request for the same resumable upload took over: the body read ends now (a blocked
     * one too, where the container allows) and the request answers 400.
     */
    @Override
    public void supersede() {
        active.abort(400, SUPERSEDED);
    }

    /**
     * From now on this request's body is applied after its connection failed (what a non-blocking
     * intake spooled): it must supersede no newer request for the same upload.
     */
    void writesLate() {
        late = true;
    }

    @Override
    public Runnable releaser() {
        return late ? (LateWriter) this::supersede : this::supersede;
    }

    /** Aborts the upload with this refusal (the container is ending the request). */
    void abort(int status, String reason) {
        active.abort(status, reason);
    }

    @Override
    public void beforeRefusal(HttpServletRequest refused, HttpServletResponse response) {
        if (aborted().isPresent()) {
            ReadUnblocker.forgetReadFailure(refused, response);
        }
    }

    /** The upload was refused. */
    void failed(int status, String reason) {
        progress.forEach(p -> p.failed(status, reason));
    }

    /** Attaches a resumable upload's progress: body bytes read from now on count for it. */
    @Override
    public synchronized UploadProgress resumableProgress(String uploadId, long total, long alreadyStored) {
        UploadProgress resumed = registry.resume(uploadId, total, alreadyStored);
        progress.add(resumed);
        active.listen(resumed);
        return resumed;
    }

    /**
     * The release to run once the application is done (after the chain, or when an asynchronous
     * request ends); it also ends this tracking.
     */
    Runnable releasing(Runnable release) {
        delivered = true;
        return () -> {
            try {
                release.run();
            } finally {
                close();
            }
        };
    }

    /** Ends the tracking unless the application has the upload (then its release ends it). */
    void closeUnlessDelivered() {
        if (!delivered) {
            close();
        }
    }

    /** Ends the tracking: no longer in flight; progress detached. Safe to call more than once. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        counters.received(active.bytesRead());
        if (singleRequest) {
            progress.forEach(p -> p.failed(0, "the request ended before the upload was complete"));
        }
        progress.forEach(UploadProgress::detach);
        active.end();
    }
}
