package io.spillway.servlet;

import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.routing.Route;
import io.spillway.core.routing.UploadFacts;
import io.spillway.core.upload.BodySpool;
import io.spillway.core.upload.MultipartReceiver;
import io.spillway.core.upload.ReceivedPart;
import io.spillway.core.upload.SpillTarget;
import io.spillway.core.upload.UploadRecord;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/**
 * A multipart upload from the filter's first look to its cleanup (steps 2 to 5 of the request
 * flow in DESIGN.md): routed before a byte of the body is read, received along the route (by a
 * blocking read, or by a {@link NonBlockingIntake} that spools it first), and delivered with its
 * parts ready.
 */
final class MultipartUploads {

    private final FilterServices services;
    private final SpillTarget spills;
    private final MultipartReceiver streamedReceiver;
    private final MultipartReceiver bufferedReceiver;

    MultipartUploads(FilterServices services, SpillTarget spills, MultipartReceiver streamedReceiver,
                     MultipartReceiver bufferedReceiver) {
        this.services = services;
        this.spills = spills;
        this.streamedReceiver = streamedReceiver;
        this.bufferedReceiver = bufferedReceiver;
    }

    /** Handles one multipart request; every path ends its tracking (or hands that to the delivery). */
    void handle(HttpServletRequest original, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        TrackedUpload upload = services.operations().beginMultipart(original, response);
        if (upload == null) {
            services.answers().shuttingDown(original, response);
            return;
        }
        try {
            receive(upload, response, chain);
        } finally {
            upload.closeUnlessDelivered();
        }
    }

    private void receive(TrackedUpload upload, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = upload.request();
        String contentType = request.getContentType();
        String unsupported = unsupportedReason(request, contentType);
        if (unsupported != null) {
            services.answers().reject(request, response, 415, unsupported, 0);
            return;
        }
        byte[] boundary = MultipartReceiver.boundaryOf(contentType);
        if (boundary == null) {
            services.answers().reject(request, response, 400, "multipart request without a valid boundary", 0);
            return;
        }
        long length = request.getContentLengthLong();
        UploadFacts facts = length >= 0 ? UploadFacts.ofLength(length) : UploadFacts.unknownLength();
        FilterSettings current = services.settings().get();
        Route route = current.policy().decide(facts, services.probe().current(), spills.usableSpace(),
                services.operations().admitted() + 1);
        upload.routed(route);
        if (route.kind() == Route.Kind.REJECTED) {
            services.answers().reject(request, response, route.status(), route.reason(), route.retryAfterSeconds());
            return;
        }
        MultipartReceiver receiver = route.kind() == Route.Kind.BUFFERED && facts.lengthKnown()
                ? bufferedReceiver : streamedReceiver;
        if (receiver == streamedReceiver && current.config().nonBlockingIntake()
                && services.deliveries().mayGoAsync(request)) {
            intake(upload, response, route, boundary, current.config());
            return;
        }
        List<ReceivedPart> parts;
        try {
            parts = receiver.receive(request.getInputStream(), boundary, route.memoryAllowance(),
                    services.diskGuard(current.config()));
        } catch (IOException e) {
            route.release();
            services.answers().refuse(upload, response, e);
            return;
        }
        upload.received();
        UploadRecord record = UploadRecord.of(upload.id(), route.kind(), route.reason(), parts);
        services.deliveries().toChain(request, response, chain, record, parts, upload.releasing(route::release));
    }

    /**
     * Receives the body without a thread: a {@link NonBlockingIntake} spools it as it arrives, then
     * the parts are parsed from the spool and the request is dispatched (an async dispatch, to the
     * same path) with them. The cleanup runs when that asynchronous request ends, whichever way.
     */
    private void intake(TrackedUpload upload, HttpServletResponse response, Route route, byte[] boundary,
                        SpillwayConfig config) throws IOException {
        BodySpool spool;
        try {
            spool = BodySpool.create(services.storage(), config.maxRequestSize(), services.diskGuard(config));
        } catch (IOException e) {
            route.release();
            services.answers().refuse(upload, response, e);
            return;
        }
        AsyncIntake[] intake = new AsyncIntake[1];
        intake[0] = AsyncIntake.start(upload, response, spool, route::release, new NonBlockingIntake.Outcome() {
            @Override
            public void arrived(BodySpool body) {
                parseSpool(upload, response, route, boundary, config, intake[0]);
            }

            @Override
            public void failed(IOException failure) {
                services.answers().refuse(upload, response, failure);
                intake[0].complete();
            }
        }, (timedOut, failure) -> endedByContainer(upload, response, timedOut, failure));
    }

    private void parseSpool(TrackedUpload upload, HttpServletResponse response, Route route, byte[] boundary,
                            SpillwayConfig config, AsyncIntake intake) {
        HttpServletRequest request = upload.request();
        BodySpool spool = intake.spool();
        try {
            long declared = request.getContentLengthLong();
            if (upload.aborted().isPresent() || declared >= 0 && spool.length() != declared) {
                throw new IOException("body ended after " + spool.length() + " of " + declared + " bytes");
            }
            List<ReceivedPart> parts;
            try (InputStream body = spool.read()) {
                parts = streamedReceiver.receive(body, boundary, route.memoryAllowance(),
                        services.diskGuard(config));
            }
            spool.close();
            upload.received();
            intake.dispatch(request, UploadRecord.of(upload.id(), route.kind(), route.reason(), parts), parts,
                    services.storage().root(), null);
        } catch (IOException | RuntimeException e) {
            services.answers().refuse(upload, response, e);
            intake.complete();
        }
    }

    /**
     * Answers a request the container ended while its body still arrived: a timeout, which with no
     * timeout set means Tomcat's connector stop at shutdown (it times out every waiting asynchronous
     * request), or an error on the connection. Answered here, or Tomcat would send its own 500.
     */
    private void endedByContainer(TrackedUpload upload, HttpServletResponse response, boolean timedOut,
                                  Throwable failure) {
        if (timedOut) {
            services.answers().shuttingDown(upload.request(), response);
        } else {
            services.answers().refuse(upload, response, failure);
        }
    }

    private static String unsupportedReason(HttpServletRequest request, String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        if (!type.startsWith("multipart/form-data") && !type.startsWith("multipart/mixed")) {
            return "unsupported multipart type; send multipart/form-data";
        }
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            return "unsupported Content-Encoding for uploads; send the body unencoded";
        }
        return null;
    }
}
