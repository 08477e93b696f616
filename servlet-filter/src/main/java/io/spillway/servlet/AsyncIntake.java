package io.spillway.servlet;

import io.spillway.core.upload.BodySpool;
import io.spillway.core.upload.ReceivedPart;
import io.spillway.core.upload.UploadRecord;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
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

    private final TrackedUpload upload;
    private final AsyncContext async;
    private final HttpServletRequestWrapper dispatched;
    private final BodySpool spool;
    private final List<ReceivedPart> parts = new ArrayList<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile Runnable release;

    private AsyncIntake(TrackedUpload upload, AsyncContext async, HttpServletRequestWrapper dispatched,
                        BodySpool spool, Runnable release) {
        this.upload = upload;
        this.async = async;
        this.dispatched = dispatched;
        this.spool = spool;
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
        AsyncIntake intake = new AsyncIntake(upload, async, dispatched, spool,
                release == null ? null : upload.releasing(release));
        NonBlockingIntake reader = new NonBlockingIntake(request.getInputStream(), spool, outcome);
        async.addListener(intake.new Listener(reader, ended));
        request.getInputStream().setReadListener(reader);
        return intake;
    }

    /** What answers a request that the container ended while its body was still arriving. */
    interface ContainerEnd {
        /**
         * @param timedOut true for a timeout (with none set: Tomcat's pause at shutdown), false for an error
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
        List<SpillwayPart> servletParts = new ArrayList<>(delivered.size());
        delivered.forEach(p -> servletParts.add(new SpillwayPart(p, storageRoot)));
        request.setAttribute(MemoryAwareUploadFilter.UPLOAD_ATTRIBUTE, record);
        dispatched.setRequest(new UploadRequestWrapper(request, servletParts));
        async.dispatch();
    }

    /** Ends the request after the filter answered it itself; safe to call more than once. */
    void complete() {
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
    private final class Listener implements AsyncListener {
        private final NonBlockingIntake reader;
        private final ContainerEnd containerEnd;

        Listener(NonBlockingIntake reader, ContainerEnd containerEnd) {
            this.reader = reader;
            this.containerEnd = containerEnd;
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            if (reader.stop()) {
                containerEnd.ended(true, event.getThrowable());
                complete();
            }
            end();
        }

        @Override
        public void onError(AsyncEvent event) {
            if (reader.stop()) {
                containerEnd.ended(false, event.getThrowable());
                complete();
            }
            end();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            reader.stop();
            end();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
