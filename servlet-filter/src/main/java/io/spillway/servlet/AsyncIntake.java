package io.spillway.servlet;

import io.spillway.core.upload.BodySpool;
import io.spillway.core.upload.ReceivedPart;
import io.spillway.core.upload.UploadRecord;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request whose body a {@link NonBlockingIntake} reads: it went asynchronous with a request
 * wrapper that the application will see, and it ends in one of two ways. Either the upload is
 * delivered ({@link #dispatch}: the wrapper now holds the parts, and an async dispatch to the same
 * path runs the application), or it is answered here and completed. Whichever way, when the
 * asynchronous request ends (also by a timeout or error the container reports, and after an
 * application that went asynchronous again) the spool is deleted, the parts released and the
 * tracking ended, once.
 */
final class AsyncIntake {

    /** How long a refused body is read and thrown away at the most. */
    static final long DISCARD_TIMEOUT_MILLIS = 30_000;

    private final TrackedUpload upload;
    private final AsyncContext async;
    private final HttpServletRequestWrapper dispatched;
    private final BodySpool spool;
    private final NonBlockingIntake reader;
    private final List<ReceivedPart> parts = new ArrayList<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile Runnable release;

    private AsyncIntake(TrackedUpload upload, AsyncContext async, HttpServletRequestWrapper dispatched,
                        BodySpool spool, Runnable release, NonBlockingIntake reader) {
        this.upload = upload;
        this.async = async;
        this.dispatched = dispatched;
        this.spool = spool;
        this.reader = reader;
        this.release = release;
    }

    /**
     * Starts asynchronous processing of the upload's request, with no timeout (the slow-client
     * watchdog bounds a slow body), and starts reading its body into {@code spool}.
     *
     * @param release   what to release at the end whatever happens (a route's reservation), or null
     * @param ended     answers the request when the container ends it while the body still arrives
     */
    static AsyncIntake start(TrackedUpload upload, HttpServletResponse response, BodySpool spool, Runnable release,
                             NonBlockingIntake.Outcome outcome, ContainerEnd ended) throws IOException {
        HttpServletRequest request = upload.request();
        HttpServletRequestWrapper dispatched = new HttpServletRequestWrapper(request);
        AsyncContext async = request.startAsync(dispatched, response);
        async.setTimeout(0);
        NonBlockingIntake reader = new NonBlockingIntake(request.getInputStream(), spool, outcome,
                ReadUnblocker.forRequest(request));
        AsyncIntake intake = new AsyncIntake(upload, async, dispatched, spool,
                release == null ? null : upload.releasing(release), reader);
        async.addListener(intake.new Listener(ended));
        request.getInputStream().setReadListener(reader);
        return intake;
    }

    /**
     * After a refusal that was sent before the body was read: reads and throws away the rest of the
     * body without a thread ({@link NonBlockingIntake#discarding}), for at most
     * {@link #DISCARD_TIMEOUT_MILLIS}, then ends the request. Without this, Tomcat swallows an
     * unread body after the response with a blocking read, so every refused slow upload would hold
     * a container thread for as long as its client keeps sending. Does nothing when the request
     * cannot go asynchronous.
     */
    static void discardAfterRefusal(HttpServletRequest request, HttpServletResponse response) {
        if (!request.isAsyncSupported() || request.isAsyncStarted()) {
            return;
        }
        try {
            AsyncContext async = request.startAsync(request, response);
            async.setTimeout(DISCARD_TIMEOUT_MILLIS);
            Runnable halfClose = ReadUnblocker.forRequest(request);
            Runnable end = NonBlockingIntake.once(async::complete);
            async.addListener(new AsyncEnd() {
                @Override
                public void onTimeout(AsyncEvent event) {
                    halfClose.run();
                    end.run();
                }

                @Override
                public void onComplete(AsyncEvent event) {
                }

                @Override
                void ended(AsyncEvent event) {
                    end.run();
                }
            });
            request.getInputStream().setReadListener(
                    NonBlockingIntake.discarding(request.getInputStream(), halfClose, end));
        } catch (IOException | IllegalStateException e) {
            // the container deals with the unread body itself
        }
    }

    /** What answers a request that the container ended while its body was still arriving. */
    interface ContainerEnd {
        /**
         * @param timedOut true for a timeout (with none set: Tomcat's connector stop at shutdown), false for an error
         */
        void ended(boolean timedOut, Throwable failure);
    }

    /** The body that arrived, for the protocol or the parser; deleted when the request ends. */
    BodySpool spool() {
        return spool;
    }

    /**
     * Delivers the upload: the application will see {@code request} with {@code parts}, in an async
     * dispatch to the same path; {@code partsRelease} runs when the asynchronous request ends.
     */
    void dispatch(HttpServletRequest request, UploadRecord record, List<ReceivedPart> delivered, Path storageRoot,
                  Runnable partsRelease) throws IOException {
        parts.addAll(delivered);
        if (partsRelease != null) {
            release = upload.releasing(partsRelease);
        }
        dispatched.setRequest(UploadRequestWrapper.delivering(request, record, delivered, storageRoot));
        async.dispatch();
    }

    /**
     * Ends the request after the filter answered it itself, once the rest of its body (if any can
     * still arrive) was read and thrown away; safe to call more than once.
     */
    void complete() {
        reader.discardRest(this::completeNow);
    }

    private void completeNow() {
        if (completed.compareAndSet(false, true)) {
            async.complete();
        }
    }

    private void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        spool.close();
        parts.forEach(p -> p.content().release());
        Runnable releasing = release;
        if (releasing != null) {
            releasing.run();
        } else {
            upload.close();
        }
    }

    /** Ends the intake on the container's events, and cleans up when the asynchronous request ends. */
    private final class Listener extends AsyncEnd {
        private final ContainerEnd containerEnd;

        Listener(ContainerEnd containerEnd) {
            this.containerEnd = containerEnd;
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            endedByContainer(true, event);
        }

        @Override
        public void onError(AsyncEvent event) {
            endedByContainer(false, event);
        }

        @Override
        void ended(AsyncEvent event) {
            reader.stop();
            end();
        }

        private void endedByContainer(boolean timedOut, AsyncEvent event) {
            if (reader.stop()) {
                containerEnd.ended(timedOut, event.getThrowable());
                completeNow();
            }
            end();
        }
    }
}
