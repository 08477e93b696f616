package io.spillway.servlet.resumable;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.progress.UploadProgress;
import io.spillway.core.resumable.NewUpload;
import io.spillway.core.resumable.ResumableUploads;
import io.spillway.core.resumable.UploadGoneException;
import io.spillway.core.resumable.UploadState;
import io.spillway.core.resumable.WriteOutcome;
import io.spillway.core.storage.FileNames;
import io.spillway.servlet.protocol.CompletedUpload;
import io.spillway.servlet.protocol.UploadProtocol;
import io.spillway.servlet.protocol.UploadTracking;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * IETF Resumable Uploads for HTTP (draft-ietf-httpbis-resumable-upload), on the same URL as tus
 * and told apart by its {@code Upload-Draft-Interop-Version} header: interop versions 3 to 6
 * (drafts 01 to 05; tus-js-client's {@code ietf-draft-03} sends 5, {@code ietf-draft-05} sends 6).
 *
 * <ul>
 *   <li>Creation: {@code POST} to the filtered URL, with or without a body. With
 *       {@code Upload-Complete: ?1} the body is the whole file, in one request that can be resumed
 *       if it breaks off. {@code Upload-Length} gives the length; without it and with
 *       {@code Upload-Complete: ?0} the length stays unknown until the request that ends the
 *       upload. The answer carries {@code Location} (the filtered URL plus {@code /} and the id).</li>
 *   <li>Offset retrieval: {@code HEAD} on the upload URL answers 204 with {@code Upload-Offset},
 *       {@code Upload-Complete} and, when known, {@code Upload-Length}; a request still writing the
 *       upload is made to let go first, so the offset is settled.</li>
 *   <li>Append: {@code PATCH} with {@code Upload-Offset} and {@code Upload-Complete}; from interop
 *       version 6 the body must be {@code application/partial-upload}.</li>
 *   <li>Cancellation: {@code DELETE}. Limits: {@code Upload-Limit: max-size=<maxFileSize>} on every
 *       answer that describes an upload, and on {@code OPTIONS}.</li>
 * </ul>
 *
 * <p>The request whose bytes complete the upload goes down the chain as one Part (the file name
 * from {@code Upload-Metadata} as tus clients send it, the media type from the creation's
 * {@code Content-Type}), like tus and Content-Range uploads. Interop versions 3 and 4 said
 * {@code Upload-Incomplete} (the inverse); it is read when {@code Upload-Complete} is absent, and
 * answered in the client's style.
 *
 * <p>The {@code 104 Upload Resumption Supported} informational response is not sent: the
 * Servlet API can send no 1xx but 100 and 103. A client learns the upload URL from the final
 * answer; a creation whose connection breaks before it is lost, as with tus creation-with-upload.
 */
public final class IetfResumableProtocol implements UploadProtocol {

    /** The header that marks a request of this protocol. */
    public static final String INTEROP_VERSION = "Upload-Draft-Interop-Version";
    /** The interop versions understood. */
    public static final Set<String> VERSIONS = Set.of("3", "4", "5", "6");

    private static final System.Logger LOG = System.getLogger(IetfResumableProtocol.class.getName());
    private static final String PARTIAL_UPLOAD = "application/partial-upload";
    private static final String COMPLETE = "Upload-Complete";
    private static final String INCOMPLETE = "Upload-Incomplete";
    private static final String DEFAULT_FILE_NAME = "upload";

    private final ResumableUploads uploads;

    public IetfResumableProtocol(ResumableUploads uploads) {
        this.uploads = uploads;
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        return request.getHeader(INTEROP_VERSION) != null;
    }

    @Override
    public Optional<CompletedUpload> handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String version = request.getHeader(INTEROP_VERSION).strip();
        boolean legacy = request.getHeader(COMPLETE) == null && request.getHeader(INCOMPLETE) != null;
        try {
            if (!VERSIONS.contains(version)) {
                throw UploadRejectedException.badRequest("unsupported " + INTEROP_VERSION + "; this server speaks "
                        + String.join(", ", VERSIONS.stream().sorted().toList()));
            }
            response.setHeader(INTEROP_VERSION, version);
            return switch (request.getMethod()) {
                case "OPTIONS" -> options(response);
                case "POST" -> create(request, response, legacy);
                case "HEAD" -> head(request, response, legacy);
                case "PATCH" -> append(request, response, version, legacy);
                case "DELETE" -> cancel(request, response);
                default -> throw new UploadRejectedException(405, "method not allowed for a resumable upload");
            };
        } catch (UploadRejectedException e) {
            UploadTracking.beforeRefusal(request, response);
            refuse(response, answered(version), e.status(), e.reason(), hasBody(request));
            return Optional.empty();
        } catch (IOException e) {
            UploadTracking.beforeRefusal(request, response);
            LOG.log(System.Logger.Level.WARNING, "resumable upload could not be stored", e);
            refuse(response, answered(version), 507, "could not store the upload", true);
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        uploads.close();
    }

    private Optional<CompletedUpload> options(HttpServletResponse response) {
        response.setStatus(204);
        response.setHeader("Upload-Limit", limit());
        return Optional.empty();
    }

    private Optional<CompletedUpload> create(HttpServletRequest request, HttpServletResponse response,
                                             boolean legacy) throws IOException {
        boolean complete = complete(request);
        long bodyLength = request.getContentLengthLong();
        long total = declaredLength(request, complete, bodyLength);
        Map<String, String> metadata = TusProtocol.metadata(request.getHeader("Upload-Metadata"));
        String name = metadata.getOrDefault("filename", metadata.get("name"));
        String type = metadata.getOrDefault("filetype", metadata.get("type"));
        if (type == null && !PARTIAL_UPLOAD.equals(Headers.mediaType(request.getContentType()))) {
            type = request.getContentType();
        }
        UploadState state = uploads.create(new NewUpload(UploadState.IETF, total,
                FileNames.sanitize(name == null ? DEFAULT_FILE_NAME : name),
                Headers.fieldName(metadata.get("fieldName")),
                Headers.mediaType(type), null, Requesters.owner(request),
                null));
        response.setHeader("Location", TusProtocol.location(request, state.id()));
        response.setHeader("Upload-Limit", limit());
        UploadProgress progress = UploadTracking.progress(request, state.id(), total, 0);
        if (!hasBody(request)) {
            if (state.complete() || complete && total == 0) {
                return Optional.of(completed(state));
            }
            answer(response, state, false, legacy, 201);
            return Optional.empty();
        }
        WriteOutcome outcome;
        try {
            outcome = write(request, state.id(), 0, complete);
        } catch (IOException | RuntimeException e) {
            uploads.discard(state.id());
            throw e;
        }
        return answerWrite(response, outcome, progress, legacy, 201);
    }

    private Optional<CompletedUpload> head(HttpServletRequest request, HttpServletResponse response,
                                           boolean legacy) throws IOException {
        String owner = Requesters.owner(request);
        UploadState state;
        try {
            state = uploads.status(TusProtocol.idFromPath(request), owner);
        } catch (UploadGoneException gone) {
            if (gone.why() != UploadGoneException.Reason.COMPLETED) {
                throw gone;
            }
            response.setHeader("Upload-Offset", Long.toString(gone.total()));
            response.setHeader("Upload-Length", Long.toString(gone.total()));
            response.setHeader(legacy ? INCOMPLETE : COMPLETE, legacy ? "?0" : "?1");
            response.setHeader("Cache-Control", "no-store");
            response.setStatus(204);
            return Optional.empty();
        }
        if (!state.complete() && state.fullyReceived()) {
            Optional<UploadState> claimed = uploads.claimDelivery(state.id(), owner);
            if (claimed.isPresent()) {
                describe(response, claimed.get(), true, legacy);
                return Optional.of(completed(claimed.get()));
            }
        }
        answer(response, state, state.complete(), legacy, 204);
        return Optional.empty();
    }

    private Optional<CompletedUpload> append(HttpServletRequest request, HttpServletResponse response,
                                             String version, boolean legacy) throws IOException {
        String id = TusProtocol.idFromPath(request);
        if (Integer.parseInt(version) >= 6 && !PARTIAL_UPLOAD.equals(Headers.mediaType(request.getContentType()))) {
            throw new UploadRejectedException(415, "Content-Type must be " + PARTIAL_UPLOAD);
        }
        long offset = Headers.number("Upload-Offset", request.getHeader("Upload-Offset"));
        boolean complete = complete(request);
        UploadProgress progress = UploadTracking.progress(request, id, -1, offset);
        return answerWrite(response, write(request, id, offset, complete), progress, legacy, 204);
    }

    private Optional<CompletedUpload> cancel(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        uploads.terminate(TusProtocol.idFromPath(request), Requesters.owner(request));
        response.setStatus(204);
        return Optional.empty();
    }

    private WriteOutcome write(HttpServletRequest request, String id, long offset, boolean complete)
            throws IOException {
        String owner = Requesters.owner(request);
        long declared = request.getContentLengthLong();
        Runnable releaser = UploadTracking.releaser(request);
        return complete
                ? uploads.appendLast(id, owner, offset, declared, request.getInputStream(), releaser)
                : uploads.append(id, owner, offset, declared, request.getInputStream(), null, releaser);
    }

    private Optional<CompletedUpload> answerWrite(HttpServletResponse response, WriteOutcome outcome,
                                                  UploadProgress progress, boolean legacy, int status)
            throws IOException {
        UploadState state = outcome.state();
        progress.stored(state.total(), outcome.completed() ? state.total() : state.offset());
        if (outcome.completed()) {
            progress.assembling();
            describe(response, state, true, legacy);
            return Optional.of(completed(state));
        }
        answer(response, state, false, legacy, status);
        return Optional.empty();
    }

    private void answer(HttpServletResponse response, UploadState state, boolean complete, boolean legacy,
                        int status) {
        describe(response, state, complete, legacy);
        response.setStatus(status);
    }

    private void describe(HttpServletResponse response, UploadState state, boolean complete, boolean legacy) {
        response.setHeader("Upload-Offset", Long.toString(complete ? state.total() : state.offset()));
        response.setHeader(legacy ? INCOMPLETE : COMPLETE, complete != legacy ? "?1" : "?0");
        if (state.lengthKnown()) {
            response.setHeader("Upload-Length", Long.toString(state.total()));
        }
        response.setHeader("Upload-Limit", limit());
        response.setHeader("Cache-Control", "no-store");
    }

    private CompletedUpload completed(UploadState state) throws IOException {
        String id = state.id();
        return new CompletedUpload(id, state.fieldName(), state.fileName(), state.contentType(),
                uploads.completedFile(id), state.total(), Map.of(), () -> uploads.finish(id));
    }

    private String limit() {
        return "max-size=" + uploads.config().maxFileSize();
    }

    /**
     * The length of a new upload: {@code Upload-Length} when sent; else the body's length when the
     * creation is the whole upload; else unknown.
     */
    private static long declaredLength(HttpServletRequest request, boolean complete, long bodyLength)
            throws UploadRejectedException {
        String header = request.getHeader("Upload-Length");
        if (header != null) {
            long length = Headers.number("Upload-Length", header);
            if (complete && bodyLength >= 0 && bodyLength != length) {
                throw UploadRejectedException.badRequest("Upload-Length " + length + " does not match the body of "
                        + bodyLength + " bytes that completes the upload");
            }
            return length;
        }
        return complete && bodyLength >= 0 ? bodyLength : UploadState.UNKNOWN_LENGTH;
    }

    /** Whether the request ends the upload: {@code Upload-Complete: ?1} (or {@code Upload-Incomplete: ?0}). */
    private static boolean complete(HttpServletRequest request) throws UploadRejectedException {
        String complete = request.getHeader(COMPLETE);
        if (complete != null) {
            return flag(COMPLETE, complete);
        }
        String incomplete = request.getHeader(INCOMPLETE);
        if (incomplete != null) {
            return !flag(INCOMPLETE, incomplete);
        }
        throw UploadRejectedException.badRequest(COMPLETE + " is missing");
    }

    private static boolean flag(String name, String value) throws UploadRejectedException {
        return switch (value.strip()) {
            case "?1" -> true;
            case "?0" -> false;
            default -> throw UploadRejectedException.badRequest(name + " must be ?0 or ?1");
        };
    }

    /** The version to answer with: the client's when this server speaks it (never echoed otherwise). */
    private static String answered(String version) {
        return VERSIONS.contains(version) ? version : "6";
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private static void refuse(HttpServletResponse response, String version, int status, String reason,
                               boolean bodyMayBeUnread) {
        PlainRefusal.send(response, status, reason, bodyMayBeUnread, r -> r.setHeader(INTEROP_VERSION, version));
    }
}
