package io.spillway.servlet;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.routing.Route;
import io.spillway.core.upload.BodySpool;
import io.spillway.core.upload.ReceivedPart;
import io.spillway.core.upload.UploadRecord;
import io.spillway.servlet.protocol.AssembledRequest;
import io.spillway.servlet.protocol.CompletedUpload;
import io.spillway.servlet.protocol.UploadProtocol;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A request of a resumable protocol (Content-Range slices, tus, IETF): admitted by count when it
 * carries a body, answered by its protocol (over the connection, or over what a
 * {@link NonBlockingIntake} spooled), and, when it completed an upload, delivered as an assembled
 * request.
 */
final class ResumableRequests {

    private final FilterServices services;

    ResumableRequests(FilterServices services) {
        this.services = services;
    }

    /** Handles one request of {@code protocol}; every path ends its tracking. */
    void handle(UploadProtocol protocol, HttpServletRequest original, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        TrackedUpload tracked = services.operations().beginProtocol(original);
        if (tracked == null) {
            services.answers().shuttingDown(original, response);
            return;
        }
        FilterSettings current = services.settings().get();
        if (Answers.hasBody(original)) {
            Optional<Route> refused = current.policy().refuseOverCount(services.probe().current(),
                    services.operations().admitted());
            if (refused.isPresent()) {
                services.answers().reject(tracked.request(), response, refused.get().status(), refused.get().reason(),
                        refused.get().retryAfterSeconds());
                tracked.close();
                return;
            }
            if (current.config().nonBlockingIntake() && services.deliveries().mayGoAsync(original)) {
                intake(protocol, tracked, response, current.config());
                return;
            }
        }
        try {
            answer(protocol, tracked, tracked.request(), response, (request, record, parts, release) ->
                    services.deliveries().toChain(request, response, chain, record, parts, tracked.releasing(release)));
        } finally {
            tracked.closeUnlessDelivered();
        }
    }

    /**
     * Receives the request's body without a thread, then lets the protocol handle the request over
     * the spooled body. When the connection failed first, the protocol reads what arrived and then
     * that failure, so it keeps those bytes as after a failed blocking read.
     */
    private void intake(UploadProtocol protocol, TrackedUpload tracked, HttpServletResponse response,
                        SpillwayConfig config) throws IOException {
        BodySpool spool;
        try {
            spool = BodySpool.create(services.storage(), config.maxFileSize(), services.diskGuard(config));
        } catch (IOException e) {
            services.answers().refuse(tracked, response, e);
            tracked.close();
            return;
        }
        AsyncIntake[] intake = new AsyncIntake[1];
        intake[0] = AsyncIntake.start(tracked, response, spool, null, new NonBlockingIntake.Outcome() {
            @Override
            public void arrived(BodySpool body) {
                answerSpooled(protocol, tracked, response, intake[0], null);
            }

            @Override
            public void failed(IOException failure) {
                answerSpooled(protocol, tracked, response, intake[0], failure);
            }
        }, (timedOut, failure) -> {
            if (timedOut) {
                tracked.abort(503, "server is shutting down");
            }
            answerSpooled(protocol, tracked, response, intake[0], new IOException("ended by the container", failure));
        });
    }

    private void answerSpooled(UploadProtocol protocol, TrackedUpload tracked, HttpServletResponse response,
                               AsyncIntake intake, IOException failure) {
        boolean delivered = false;
        if (failure != null) {
            tracked.writesLate();
        }
        try (InputStream body = intake.spool().read()) {
            HttpServletRequest spooled = new SpooledRequest(tracked.request(), body, failure);
            delivered = answer(protocol, tracked, spooled, response, (request, record, parts, release) ->
                    intake.dispatch(request, record, parts, services.storage().root(), release));
        } catch (IOException | ServletException | RuntimeException e) {
            services.answers().refuse(tracked, response, e);
        } finally {
            if (!delivered) {
                intake.complete();
            }
        }
    }

    /**
     * Lets the protocol answer the request; when it completed an upload, delivers it.
     *
     * @return whether an upload was delivered
     */
    private boolean answer(UploadProtocol protocol, TrackedUpload tracked, HttpServletRequest request,
                           HttpServletResponse response, Delivery delivery) throws IOException, ServletException {
        Optional<CompletedUpload> completed;
        try {
            completed = protocol.handle(request, response);
        } catch (UploadRejectedException e) {
            UploadRejectedException refusal = tracked.aborted().orElse(e);
            services.answers().reject(request, response, refusal.status(), refusal.reason(), 0);
            return false;
        }
        if (completed.isEmpty()) {
            return false;
        }
        CompletedUpload upload = completed.get();
        List<ReceivedPart> parts;
        try {
            parts = upload.toParts();
        } catch (IOException | RuntimeException e) {
            upload.afterChain().run();
            throw e;
        }
        UploadRecord record = UploadRecord.of(upload.uploadId(), Route.Kind.STREAMED,
                "assembled from resumable upload " + upload.uploadId(), parts);
        tracked.receivedResumable();
        delivery.deliver(new AssembledRequest(request), record, parts, upload.afterChain());
        return true;
    }

    /** How an upload reaches the application: down the chain, or by an async dispatch after an intake. */
    @FunctionalInterface
    private interface Delivery {
        void deliver(HttpServletRequest request, UploadRecord record, List<ReceivedPart> parts, Runnable release)
                throws IOException, ServletException;
    }
}
