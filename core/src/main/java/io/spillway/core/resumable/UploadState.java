package io.spillway.core.resumable;

import io.spillway.core.internal.json.Json;
import io.spillway.core.storage.UploadIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the server knows about one resumable upload, kept as a small JSON document next to its bytes.
 *
 * <p>{@code received} only ever lists bytes that were durable before this state was written, so
 * after a crash the state can lag behind the bytes but never run ahead of them.
 *
 * @param id          the server-issued id
 * @param protocol    {@code content-range}, {@code tus} or {@code ietf}
 * @param total       the declared length of the file, or {@link #UNKNOWN_LENGTH} until the request
 *                    that ends an upload of deferred length (IETF Resumable Uploads) tells it
 * @param received    the spans stored so far
 * @param fileName    the sanitized file name (metadata only)
 * @param fieldName   the name of the Part the application receives
 * @param contentType the declared content type
 * @param metadata    the tus {@code Upload-Metadata} header as sent at creation, or null
 * @param owner       digest of the authenticated user that created the upload, or null
 * @param resumeKey   digest of (scope, file name, total) for resuming by name, or null
 * @param createdAt   creation time
 * @param updatedAt   time of the last stored bytes
 * @param expiresAt   time after which the upload is abandoned and may be deleted
 * @param complete    whether every byte arrived and the completing request was handed on
 * @param revision    incremented on every change, so no two versions of a state are equal
 */
public record UploadState(String id, String protocol, long total, ByteRanges received, String fileName,
                          String fieldName, String contentType, String metadata, String owner, String resumeKey,
                          Instant createdAt, Instant updatedAt, Instant expiresAt, boolean complete, long revision) {

    /** The protocol name of Content-Range slices. */
    public static final String CONTENT_RANGE = "content-range";
    /** The protocol name of tus 1.0. */
    public static final String TUS = "tus";
    /** The protocol name of IETF Resumable Uploads for HTTP. */
    public static final String IETF = "ietf";
    /** The total of an upload whose length the client has not told yet. */
    public static final long UNKNOWN_LENGTH = -1;

    private static final long FORMAT = 1;

    /** Bytes stored without a gap from offset 0 (the tus offset, the Content-Range {@code received}). */
    public long offset() {
        return received.contiguousFromZero();
    }

    /** Whether every byte of the file has been stored (never while the length is unknown). */
    public boolean fullyReceived() {
        return lengthKnown() && received.covers(total);
    }

    /** Whether the client has told the upload's length. */
    public boolean lengthKnown() {
        return total != UNKNOWN_LENGTH;
    }

    /** This state with its length now known. */
    public UploadState withTotal(long length) {
        return new UploadState(id, protocol, length, received, fileName, fieldName, contentType, metadata, owner,
                resumeKey, createdAt, updatedAt, expiresAt, complete, revision);
    }

    /** Whether the upload is abandoned at the given time. */
    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** This state after bytes were stored. */
    public UploadState withReceived(ByteRanges ranges, Instant now, Instant expires, boolean isComplete) {
        return new UploadState(id, protocol, total, ranges, fileName, fieldName, contentType, metadata, owner,
                resumeKey, createdAt, now, expires, isComplete, revision + 1);
    }

    /** This state with its received spans replaced and completion withdrawn (crash recovery). */
    public UploadState recovered(ByteRanges ranges) {
        return new UploadState(id, protocol, total, ranges, fileName, fieldName, contentType, metadata, owner,
                resumeKey, createdAt, updatedAt, expiresAt, false, revision + 1);
    }

    /** The state as JSON. */
    public String toJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", FORMAT);
        doc.put("id", id);
        doc.put("protocol", protocol);
        doc.put("total", total);
        List<Object> spans = new ArrayList<>();
        for (ByteRange span : received.spans()) {
            spans.add(List.of(span.start(), span.end()));
        }
        doc.put("received", spans);
        doc.put("fileName", fileName);
        doc.put("fieldName", fieldName);
        doc.put("contentType", contentType);
        doc.put("metadata", metadata);
        doc.put("owner", owner);
        doc.put("resumeKey", resumeKey);
        doc.put("createdAt", createdAt.toEpochMilli());
        doc.put("updatedAt", updatedAt.toEpochMilli());
        doc.put("expiresAt", expiresAt.toEpochMilli());
        doc.put("complete", complete);
        doc.put("revision", revision);
        return Json.write(doc);
    }

    /**
     * Reads a state written by {@link #toJson}.
     *
     * @throws IllegalArgumentException when the document is not a valid state
     */
    public static UploadState fromJson(String json) {
        Map<String, Object> doc = Json.parseObject(json);
        if (!Long.valueOf(FORMAT).equals(doc.get("format"))) {
            throw new IllegalArgumentException("unknown state format: " + doc.get("format"));
        }
        String id = UploadIds.requireValid(text(doc, "id", false));
        String protocol = text(doc, "protocol", false);
        if (!protocol.equals(CONTENT_RANGE) && !protocol.equals(TUS) && !protocol.equals(IETF)) {
            throw new IllegalArgumentException("unknown protocol in state: " + protocol);
        }
        long total = number(doc, "total");
        if (total < 0 && (total != UNKNOWN_LENGTH || !protocol.equals(IETF))) {
            throw new IllegalArgumentException("negative total in state: " + total);
        }
        List<ByteRange> spans = new ArrayList<>();
        if (!(doc.get("received") instanceof List<?> list)) {
            throw new IllegalArgumentException("state has no received list");
        }
        for (Object item : list) {
            if (!(item instanceof List<?> pair) || pair.size() != 2
                    || !(pair.get(0) instanceof Long start) || !(pair.get(1) instanceof Long end)) {
                throw new IllegalArgumentException("malformed span in state");
            }
            if (total != UNKNOWN_LENGTH && end > total) {
                throw new IllegalArgumentException("span beyond the total in state");
            }
            spans.add(new ByteRange(start, end));
        }
        if (!(doc.get("complete") instanceof Boolean complete)) {
            throw new IllegalArgumentException("state has no complete flag");
        }
        return new UploadState(id, protocol, total, ByteRanges.of(spans), text(doc, "fileName", false),
                text(doc, "fieldName", false), text(doc, "contentType", false), text(doc, "metadata", true),
                text(doc, "owner", true), text(doc, "resumeKey", true), instant(doc, "createdAt"),
                instant(doc, "updatedAt"), instant(doc, "expiresAt"), complete, number(doc, "revision"));
    }

    private static String text(Map<String, Object> doc, String key, boolean nullable) {
        Object value = doc.get(key);
        if (value == null && nullable) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("state field " + key + " is not a string");
        }
        return s;
    }

    private static long number(Map<String, Object> doc, String key) {
        if (!(doc.get(key) instanceof Long value)) {
            throw new IllegalArgumentException("state field " + key + " is not an integer");
        }
        return value;
    }

    private static Instant instant(Map<String, Object> doc, String key) {
        return Instant.ofEpochMilli(number(doc, key));
    }
}
