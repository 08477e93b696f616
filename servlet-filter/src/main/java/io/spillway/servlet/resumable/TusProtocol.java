package io.spillway.servlet.resumable;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.progress.UploadProgress;
import io.spillway.core.resumable.Checksum;
import io.spillway.core.resumable.NewUpload;
import io.spillway.core.resumable.ResumableUploads;
import io.spillway.core.resumable.UploadGoneException;
import io.spillway.core.resumable.UploadState;
import io.spillway.core.resumable.WriteOutcome;
import io.spillway.core.storage.FileNames;
import io.spillway.core.storage.UploadIds;
import io.spillway.servlet.protocol.CompletedUpload;
import io.spillway.servlet.protocol.UploadProtocol;
import io.spillway.servlet.protocol.UploadTracking;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * tus 1.0 (https://tus.io/protocols/resumable-upload): the core protocol and the extensions
 * creation, creation-with-upload, termination, checksum and expiration, with tusd's status codes
 * (409 offset mismatch, 413, 415, 423 while another PATCH writes, 404 and 410, 460 checksum
 * mismatch, 412 for another protocol version).
 *
 * <p>Creation is a {@code POST} to a filtered URL; the upload's URL is that URL plus {@code /} and
 * the id. The request whose bytes complete the upload goes down the chain as one Part named by the
 * {@code fieldName} metadata (default {@code file}); its response already carries
 * {@code Tus-Resumable} and {@code Upload-Offset}, which tus clients check on the 2xx the
 * application sends. Errors are answered here rather than thrown, so that they carry
 * {@code Tus-Resumable} as the protocol requires.
 */
public final class TusProtocol implements UploadProtocol {

    /** The protocol version header. */
    public static final String TUS_RESUMABLE = "Tus-Resumable";
    /** The one version this server speaks. */
    public static final String VERSION = "1.0.0";
    /** The extensions this server implements. */
    public static final String EXTENSIONS = "creation,creation-with-upload,termination,checksum,expiration";
    /** The checksum algorithms this server verifies. */
    public static final String CHECKSUM_ALGORITHMS = "md5,sha1,sha256,sha512";

    private static final System.Logger LOG = System.getLogger(TusProtocol.class.getName());
    private static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
    private static final int MAX_METADATA_LENGTH = 4096;
    private static final Pattern METADATA_KEY = Pattern.compile("[\\x21-\\x7e&&[^,]]{1,100}");
    private static final Map<String, String> ALGORITHMS = Map.of("md5", "MD5", "sha1", "SHA-1",
            "sha256", "SHA-256", "sha512", "SHA-512");

    private final ResumableUploads uploads;

    public TusProtocol(ResumableUploads uploads) {
        this.uploads = uploads;
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        return request.getHeader(TUS_RESUMABLE) != null
                || "OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") == null;
    }

    @Override
    public Optional<CompletedUpload> handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setHeader(TUS_RESUMABLE, VERSION);
        String method = method(request);
        try {
            if (method.equals("OPTIONS")) {
                options(response);
                return Optional.empty();
            }
            if (!VERSION.equals(request.getHeader(TUS_RESUMABLE))) {
                throw new UploadRejectedException(412, "unsupported Tus-Resumable version; this server speaks "
                        + VERSION);
            }
            return switch (method) {
                case "POST" -> create(request, response);
                case "HEAD" -> head(request, response);
                case "PATCH" -> patch(request, response);
                case "DELETE" -> terminate(request, response);
                default -> throw new UploadRejectedException(405, "method not allowed for a tus upload");
            };
        } catch (UploadRejectedException e) {
            UploadTracking.beforeRefusal(request, response);
            refuse(response, e.status(), e.reason(), method.equals("POST") || method.equals("PATCH"));
            return Optional.empty();
        } catch (IOException e) {
            UploadTracking.beforeRefusal(request, response);
            LOG.log(System.Logger.Level.WARNING, "tus upload could not be stored", e);
            refuse(response, 507, "could not store the upload", true);
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        uploads.close();
    }

    private void options(HttpServletResponse response) {
        response.setStatus(204);
        response.setHeader("Tus-Version", VERSION);
        response.setHeader("Tus-Extension", EXTENSIONS);
        response.setHeader("Tus-Max-Size", Long.toString(uploads.config().maxFileSize()));
        response.setHeader("Tus-Checksum-Algorithm", CHECKSUM_ALGORITHMS);
    }

    private Optional<CompletedUpload> create(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (request.getHeader("Upload-Defer-Length") != null) {
            throw UploadRejectedException.badRequest("Upload-Defer-Length is not supported; send Upload-Length");
        }
        long length = Headers.number("Upload-Length", request.getHeader("Upload-Length"));
        String metadataHeader = request.getHeader("Upload-Metadata");
        Map<String, String> metadata = metadata(metadataHeader);
        boolean withBody = hasBody(request);
        if (withBody) {
            requireOffsetOctetStream(request);
        }
        Checksum checksum = withBody ? checksum(request) : null;
        String fileName = FileNames.sanitize(metadata.getOrDefault("filename", metadata.get("name")));
        String type = metadata.getOrDefault("filetype", metadata.getOrDefault("type", metadata.get("contentType")));
        UploadState state = uploads.create(new NewUpload(UploadState.TUS, length, fileName,
                Headers.fieldName(metadata.get("fieldName")), Headers.mediaType(type),
                metadataHeader == null ? "" : metadataHeader.strip(), Requesters.owner(request), null));
        response.setHeader("Location", location(request, state.id()));
        response.setHeader("Upload-Expires", Headers.httpDate(state.expiresAt()));
        UploadProgress progress = UploadTracking.progress(request, state.id(), length, 0);
        if (withBody) {
            WriteOutcome outcome;
            try {
                outcome = uploads.append(state.id(), Requesters.owner(request), 0, request.getContentLengthLong(),
                        request.getInputStream(), checksum, UploadTracking.releaser(request));
            } catch (IOException | RuntimeException e) {
                uploads.discard(state.id());
                throw e;
            }
            return answerWrite(response, outcome, progress, 201);
        }
        response.setHeader("Upload-Offset", "0");
        if (state.complete()) {
            return Optional.of(completed(state));
        }
        response.setStatus(201);
        return Optional.empty();
    }

    /**
     * Answers the offset; a {@code HEAD} for an upload whose bytes have all arrived but which was
     * never delivered (its completing {@code PATCH} failed) delivers it instead: a tus client that
     * resumes sees the whole length and would send nothing more.
     */
    private Optional<CompletedUpload> head(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String owner = Requesters.owner(request);
        UploadState state = uploads.status(idFromPath(request), owner);
        if (!state.complete() && state.fullyReceived()) {
            Optional<UploadState> claimed = uploads.claimDelivery(state.id(), owner);
            if (claimed.isPresent()) {
                response.setHeader("Cache-Control", "no-store");
                response.setHeader("Upload-Offset", Long.toString(state.total()));
                response.setHeader("Upload-Length", Long.toString(state.total()));
                return Optional.of(completed(claimed.get()));
            }
        }
        response.setStatus(200);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Upload-Offset", Long.toString(state.complete() ? state.total() : state.offset()));
        response.setHeader("Upload-Length", Long.toString(state.total()));
        if (state.metadata() != null && !state.metadata().isEmpty()) {
            response.setHeader("Upload-Metadata", state.metadata());
        }
        response.setHeader("Upload-Expires", Headers.httpDate(state.expiresAt()));
        return Optional.empty();
    }

    private Optional<CompletedUpload> patch(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String id = idFromPath(request);
        requireOffsetOctetStream(request);
        long offset = Headers.number("Upload-Offset", request.getHeader("Upload-Offset"));
        Checksum checksum = checksum(request);
        UploadProgress progress = UploadTracking.progress(request, id, -1, offset);
        String owner = Requesters.owner(request);
        WriteOutcome outcome;
        try {
            outcome = uploads.append(id, owner, offset, request.getContentLengthLong(), request.getInputStream(),
                    checksum, UploadTracking.releaser(request));
        } catch (UploadRejectedException refused) {
            if (isCompleteAt(id, owner, offset, refused)) {
                requireEmptyBody(request);
                response.setHeader("Upload-Offset", Long.toString(offset));
                response.setStatus(204);
                return Optional.empty();
            }
            throw refused;
        }
        return answerWrite(response, outcome, progress, 204);
    }

    /**
     * Reads the body of a PATCH at the full length of a completed upload before it is answered:
     * tus-java-client sends {@code Expect: 100-continue} and then its empty body, and a final
     * answer sent before the body (so before the container's {@code 100 Continue}) is taken by
     * the JDK's client for the interim one, after which it waits for an answer that never comes.
     * A byte there would lie past the upload's end.
     */
    private static void requireEmptyBody(HttpServletRequest request) throws IOException {
        if (request.getInputStream().read() >= 0) {
            throw new UploadRejectedException(409, "upload is already complete");
        }
    }

    /**
     * Whether a refused PATCH came at the full length of an upload that has completed: it writes
     * nothing and gets 204 with that offset, as tusd answers. tus-java-client sends such an empty
     * PATCH when the file ends exactly where one of its requests ends.
     */
    private boolean isCompleteAt(String id, String owner, long offset, UploadRejectedException refused)
            throws IOException {
        if (refused instanceof UploadGoneException gone) {
            return gone.why() == UploadGoneException.Reason.COMPLETED && gone.total() == offset;
        }
        if (refused.status() != 409) {
            return false;
        }
        try {
            UploadState state = uploads.status(id, owner);
            return state.complete() && state.total() == offset;
        } catch (UploadGoneException gone) {
            return gone.why() == UploadGoneException.Reason.COMPLETED && gone.total() == offset;
        }
    }

    private Optional<CompletedUpload> terminate(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        uploads.terminate(idFromPath(request), Requesters.owner(request));
        response.setStatus(204);
        return Optional.empty();
    }

    private Optional<CompletedUpload> answerWrite(HttpServletResponse response, WriteOutcome outcome,
                                                  UploadProgress progress, int status) throws IOException {
        UploadState state = outcome.state();
        progress.stored(state.total(), outcome.completed() ? state.total() : state.offset());
        if (outcome.completed()) {
            progress.assembling();
        }
        response.setHeader("Upload-Offset", Long.toString(state.offset()));
        response.setHeader("Upload-Expires", Headers.httpDate(state.expiresAt()));
        if (outcome.completed()) {
            return Optional.of(completed(state));
        }
        response.setStatus(status);
        return Optional.empty();
    }

    private CompletedUpload completed(UploadState state) throws IOException {
        String id = state.id();
        return new CompletedUpload(id, state.fieldName(), state.fileName(), state.contentType(),
                uploads.completedFile(id), state.total(), Map.of(), () -> uploads.finish(id));
    }

    private static String method(HttpServletRequest request) {
        String override = request.getHeader("X-HTTP-Method-Override");
        if ("POST".equals(request.getMethod()) && override != null) {
            return override.strip().toUpperCase(Locale.ROOT);
        }
        return request.getMethod();
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private static void requireOffsetOctetStream(HttpServletRequest request) throws UploadRejectedException {
        if (!OFFSET_OCTET_STREAM.equals(Headers.mediaType(request.getContentType()))) {
            throw new UploadRejectedException(415, "Content-Type must be " + OFFSET_OCTET_STREAM);
        }
    }

    private static Checksum checksum(HttpServletRequest request) throws UploadRejectedException {
        String header = request.getHeader("Upload-Checksum");
        if (header == null) {
            return null;
        }
        String[] words = header.strip().split(" ");
        String algorithm = words.length == 2 ? ALGORITHMS.get(words[0].toLowerCase(Locale.ROOT)) : null;
        if (algorithm == null) {
            throw UploadRejectedException.badRequest("unsupported Upload-Checksum; use one of " + CHECKSUM_ALGORITHMS);
        }
        try {
            return new Checksum(algorithm, Base64.getDecoder().decode(words[1]));
        } catch (IllegalArgumentException e) {
            throw UploadRejectedException.badRequest("Upload-Checksum is not base64");
        }
    }

    static Map<String, String> metadata(String header) throws UploadRejectedException {
        Map<String, String> values = new HashMap<>();
        if (header == null || header.isBlank()) {
            return values;
        }
        if (header.length() > MAX_METADATA_LENGTH) {
            throw UploadRejectedException.badRequest("Upload-Metadata is longer than " + MAX_METADATA_LENGTH
                    + " characters");
        }
        for (String pair : header.split(",")) {
            String[] words = pair.strip().split(" ");
            if (words.length > 2 || !METADATA_KEY.matcher(words[0]).matches() || values.containsKey(words[0])) {
                throw UploadRejectedException.badRequest("malformed Upload-Metadata");
            }
            values.put(words[0], words.length == 2 ? decode(words[1]) : "");
        }
        return values;
    }

    private static String decode(String base64) throws UploadRejectedException {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw UploadRejectedException.badRequest("malformed Upload-Metadata value");
        }
    }

    /** The id is the last segment of the request path; anything else than a server-issued id is 404. */
    static String idFromPath(HttpServletRequest request) throws UploadRejectedException {
        String path = basePath(request);
        String id = path.substring(path.lastIndexOf('/') + 1);
        if (!UploadIds.isValid(id)) {
            throw new UploadRejectedException(404, "unknown upload id");
        }
        return id;
    }

    static String location(HttpServletRequest request, String id) {
        return basePath(request) + "/" + id;
    }

    private static String basePath(HttpServletRequest request) {
        String uri = request.getRequestURI();
        int parameters = uri.indexOf(';');
        if (parameters >= 0) {
            uri = uri.substring(0, parameters);
        }
        while (uri.endsWith("/")) {
            uri = uri.substring(0, uri.length() - 1);
        }
        return uri;
    }

    private static void refuse(HttpServletResponse response, int status, String reason, boolean bodyMayBeUnread) {
        PlainRefusal.send(response, status, reason, bodyMayBeUnread, r -> {
            r.setHeader(TUS_RESUMABLE, VERSION);
            if (status == 412) {
                r.setHeader("Tus-Version", VERSION);
            }
        });
    }
}
