package io.spillway.servlet.resumable;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.Sizes;
import io.spillway.core.internal.json.Json;
import io.spillway.core.multipart.ContentDisposition;
import io.spillway.core.progress.UploadProgress;
import io.spillway.core.resumable.ByteRange;
import io.spillway.core.resumable.ContentRange;
import io.spillway.core.resumable.NewUpload;
import io.spillway.core.resumable.ResumableUploads;
import io.spillway.core.resumable.UploadGoneException;
import io.spillway.core.resumable.UploadState;
import io.spillway.core.resumable.WriteOutcome;
import io.spillway.core.storage.FileNames;
import io.spillway.core.storage.UploadIds;
import io.spillway.core.upload.DiskGuard;
import io.spillway.core.upload.LimitedInputStream;
import io.spillway.core.upload.MultipartReceiver;
import io.spillway.core.upload.ReceivedPart;
import io.spillway.servlet.protocol.CompletedUpload;
import io.spillway.servlet.protocol.UploadProtocol;
import io.spillway.servlet.protocol.UploadTracking;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Content-Range slices, the browser pattern ({@code file.slice()} in 5 MB pieces, blueimp
 * jQuery-File-Upload compatible): a {@code POST}, {@code PUT} or {@code PATCH} with
 * {@code Content-Range: bytes first-last/total} and the slice as the raw body or as the one file
 * part of a multipart form. See {@code docs/resumable-protocol.md} for the wire protocol.
 *
 * <p>The first chunk creates the upload and answers its id in {@code Upload-Id}; later chunks send
 * it back. Chunks that do not complete the file are answered here (200 and JSON); the chunk that
 * completes it goes down the chain as one ordinary Part.
 */
public final class ContentRangeProtocol implements UploadProtocol {

    /** Request and response header carrying the upload id. */
    public static final String UPLOAD_ID = "Upload-Id";
    /** Request header naming the Part the application receives. */
    public static final String UPLOAD_FIELD = "Upload-Field";

    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");
    /** What a multipart chunk may carry beyond its slice: boundaries, part headers, small fields. */
    static final long MULTIPART_ALLOWANCE = 1L << 20;

    private final ResumableUploads uploads;
    private final MultipartReceiver multipart;
    private final LongSupplier usableSpace;

    /**
     * @param multipart   reads multipart chunks (blueimp); its limits apply to them
     * @param usableSpace free bytes of the temp directory, for the multipart receiver's disk guard
     */
    public ContentRangeProtocol(ResumableUploads uploads, MultipartReceiver multipart, LongSupplier usableSpace) {
        this.uploads = uploads;
        this.multipart = multipart;
        this.usableSpace = usableSpace;
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        return request.getHeader("Content-Range") != null && request.getHeader(TusProtocol.TUS_RESUMABLE) == null
                && METHODS.contains(request.getMethod());
    }

    @Override
    public Optional<CompletedUpload> handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        try {
            ContentRange range = ContentRange.parse(request.getHeader("Content-Range"));
            String id = request.getHeader(UPLOAD_ID);
            if (id != null && !UploadIds.isValid(id.strip())) {
                throw UploadRejectedException.badRequest("malformed Upload-Id; expected the 32-character id "
                        + "this server issued");
            }
            id = id == null ? null : id.strip();
            if (range.isQuery()) {
                return answerQuery(request, response, range, id);
            }
            return chunk(request, response, range, id);
        } catch (UploadRejectedException e) {
            throw e;
        } catch (IOException e) {
            throw new UploadRejectedException(507, "could not store the upload", e);
        }
    }

    @Override
    public void close() {
        uploads.close();
    }

    /**
     * Answers a status query; a query for an upload whose bytes have all arrived but which was never
     * delivered (its completing request failed) delivers it instead, as the completing chunk would.
     */
    private Optional<CompletedUpload> answerQuery(HttpServletRequest request, HttpServletResponse response,
                                                  ContentRange range, String id) throws IOException {
        if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
            throw UploadRejectedException.badRequest("a status query (bytes */total) must have an empty body");
        }
        String owner = Requesters.owner(request);
        UploadState state;
        if (id != null) {
            try {
                state = uploads.status(id, owner);
            } catch (UploadGoneException gone) {
                if (gone.why() == UploadGoneException.Reason.COMPLETED && gone.total() == range.total()) {
                    writeJson(response, id, gone.total(), List.of(new ByteRange(0, gone.total())), true);
                    return Optional.empty();
                }
                throw new UploadRejectedException(404, "unknown upload id");
            }
        } else {
            String key = Requesters.resumeKey(request, rawFileName(request), range.total());
            Optional<UploadState> found = key == null ? Optional.empty() : uploads.findByResumeKey(key, owner);
            state = found.orElseThrow(() -> new UploadRejectedException(404, "no unfinished upload of this file"));
        }
        if (state.total() != range.total()) {
            throw new UploadRejectedException(409, "total length changed from " + state.total() + " to "
                    + range.total());
        }
        if (!state.complete() && state.fullyReceived()) {
            Optional<UploadState> claimed = uploads.claimDelivery(state.id(), owner);
            if (claimed.isPresent()) {
                UploadState done = claimed.get();
                response.setHeader(UPLOAD_ID, done.id());
                return Optional.of(new CompletedUpload(done.id(), done.fieldName(), done.fileName(),
                        done.contentType(), uploads.completedFile(done.id()), done.total(), Map.of(),
                        () -> uploads.finish(done.id())));
            }
        }
        writeJson(response, state);
        return Optional.empty();
    }

    private Optional<CompletedUpload> chunk(HttpServletRequest request, HttpServletResponse response,
                                            ContentRange range, String requestedId) throws IOException {
        long declared = Headers.isMultipart(request.getContentType()) ? -1 : request.getContentLengthLong();
        if (declared >= 0 && !range.accepts(declared)) {
            throw UploadRejectedException.badRequest("body length " + declared + " does not match Content-Range "
                    + range);
        }
        if (range.total() > uploads.config().maxFileSize()) {
            throw UploadRejectedException.tooLarge("upload of " + Sizes.format(range.total())
                    + " exceeds maxFileSize of " + Sizes.format(uploads.config().maxFileSize()));
        }
        try (Chunk chunk = read(request, range, declared)) {
            String owner = Requesters.owner(request);
            String id = requestedId;
            boolean created = false;
            if (id == null) {
                NewUpload spec = new NewUpload(UploadState.CONTENT_RANGE, range.total(), chunk.fileName,
                        chunk.fieldName, chunk.contentType, null, owner,
                        Requesters.resumeKey(request, chunk.fileName, range.total()));
                if (spec.resumeKey() != null) {
                    ResumableUploads.Found found = uploads.findOrCreate(spec);
                    id = found.state().id();
                    created = found.created();
                } else {
                    id = uploads.create(spec).id();
                    created = true;
                }
            }
            UploadProgress progress = UploadTracking.progress(request, id, range.total(), range.first());
            WriteOutcome outcome;
            try {
                outcome = uploads.writeRange(id, owner, range, chunk.length, chunk.body,
                        UploadTracking.releaser(request));
            } catch (UploadGoneException gone) {
                if (gone.why() == UploadGoneException.Reason.COMPLETED) {
                    throw new UploadRejectedException(409, gone.reason());
                }
                throw gone;
            } catch (IOException | RuntimeException e) {
                if (created) {
                    uploads.discard(id);
                }
                throw e;
            }
            response.setHeader(UPLOAD_ID, id);
            progress.stored(range.total(), outcome.completed() ? range.total() : outcome.state().offset());
            if (!outcome.completed()) {
                writeJson(response, outcome.state());
                return Optional.empty();
            }
            progress.assembling();
            UploadState state = outcome.state();
            String finishedId = id;
            return Optional.of(new CompletedUpload(id, state.fieldName(), state.fileName(), state.contentType(),
                    uploads.completedFile(id), state.total(), chunk.fields, () -> uploads.finish(finishedId)));
        }
    }

    private Chunk read(HttpServletRequest request, ContentRange range, long declared) throws IOException {
        String requestedField = request.getHeader(UPLOAD_FIELD);
        if (!Headers.isMultipart(request.getContentType())) {
            return new Chunk(request.getInputStream(), declared, FileNames.sanitize(rawFileName(request)),
                    Headers.fieldName(requestedField), Headers.mediaType(request.getContentType()), Map.of(), List.of());
        }
        byte[] boundary = MultipartReceiver.boundaryOf(request.getContentType());
        if (boundary == null) {
            throw UploadRejectedException.badRequest("multipart chunk without a valid boundary");
        }
        long limit = range.inclusiveLength() + MULTIPART_ALLOWANCE;
        if (request.getContentLengthLong() > limit) {
            throw chunkTooLarge();
        }
        List<ReceivedPart> parts;
        try {
            InputStream bounded = new LimitedInputStream(request.getInputStream(), limit,
                    ContentRangeProtocol::chunkTooLarge);
            parts = multipart.receive(bounded, boundary, 0, new DiskGuard(usableSpace, uploads.config().diskReserve()));
        } catch (UploadRejectedException e) {
            throw e;
        } catch (IOException e) {
            throw new UploadRejectedException(400, "request body could not be read", e);
        }
        try {
            ReceivedPart file = null;
            Map<String, List<String>> fields = new LinkedHashMap<>();
            for (ReceivedPart part : parts) {
                if (!part.isFile()) {
                    fields.computeIfAbsent(part.name(), k -> new ArrayList<>())
                            .add(new String(part.content().bytes(), StandardCharsets.UTF_8));
                } else if (file != null) {
                    throw UploadRejectedException.badRequest("a multipart chunk must hold exactly one file part");
                } else {
                    file = part;
                }
            }
            if (file == null) {
                throw UploadRejectedException.badRequest("a multipart chunk must hold exactly one file part");
            }
            String field = requestedField != null ? requestedField : file.name();
            return new Chunk(file.content().open(), file.size(), FileNames.sanitize(file.fileName()),
                    Headers.fieldName(field), Headers.mediaType(file.contentType()), fields, parts);
        } catch (IOException | RuntimeException e) {
            parts.forEach(p -> p.content().release());
            throw e;
        }
    }

    private static String rawFileName(HttpServletRequest request) throws UploadRejectedException {
        String disposition = request.getHeader("Content-Disposition");
        String name = disposition == null ? null : ContentDisposition.parse(disposition).fileName();
        return FileNames.sanitize(name);
    }

    private static void writeJson(HttpServletResponse response, UploadState state) throws IOException {
        writeJson(response, state.id(), state.total(), state.received().spans(), false);
    }

    private static void writeJson(HttpServletResponse response, String id, long total, List<ByteRange> spans,
                                  boolean complete) throws IOException {
        long received = spans.isEmpty() || spans.get(0).start() != 0 ? 0 : spans.get(0).end();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uploadId", id);
        json.put("received", received);
        json.put("total", total);
        json.put("complete", complete);
        List<Object> ranges = new ArrayList<>();
        for (ByteRange span : spans) {
            ranges.add(List.of(span.start(), span.end() - 1));
        }
        json.put("ranges", ranges);
        byte[] body = Json.write(json).getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setHeader(UPLOAD_ID, id);
        response.setHeader("Cache-Control", "no-store");
        if (received > 0) {
            response.setHeader("Range", "bytes=0-" + (received - 1));
        }
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static UploadRejectedException chunkTooLarge() {
        return UploadRejectedException.badRequest("multipart chunk is larger than its Content-Range");
    }

    /** The slice of one request, with what the client said about the file. */
    private static final class Chunk implements AutoCloseable {
        final InputStream body;
        final long length;
        final String fileName;
        final String fieldName;
        final String contentType;
        final Map<String, List<String>> fields;
        final List<ReceivedPart> parts;

        Chunk(InputStream body, long length, String fileName, String fieldName, String contentType,
              Map<String, List<String>> fields, List<ReceivedPart> parts) {
            this.body = body;
            this.length = length;
            this.fileName = fileName;
            this.fieldName = fieldName;
            this.contentType = contentType;
            this.fields = fields;
            this.parts = parts;
        }

        @Override
        public void close() throws IOException {
            try {
                if (!parts.isEmpty()) {
                    body.close();
                }
            } finally {
                parts.forEach(p -> p.content().release());
            }
        }
    }
}
