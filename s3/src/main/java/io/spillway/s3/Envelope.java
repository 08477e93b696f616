package io.spillway.s3;

import io.spillway.core.internal.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state object of one upload in the bucket: the engine's state document, wrapped with what
 * the store itself must remember and change atomically with it: the multipart upload, its part
 * size, and the pieces (staging objects) whose bytes that state records.
 *
 * <p>A piece becomes part of the upload only when an envelope that lists it is written; a piece a
 * failed or lost writer left behind is listed nowhere and never read.
 *
 * @param uploadId the S3 multipart upload id, or null for an upload of length 0
 * @param partSize bytes per part, except the last
 * @param total    the upload's declared length, or -1 when the state did not say
 * @param pieces   the committed pieces, in commit order
 * @param state    the engine's state document, as it was given
 */
record Envelope(String uploadId, long partSize, long total, List<Piece> pieces, String state) {

    private static final long FORMAT = 1;

    Envelope {
        pieces = List.copyOf(pieces);
    }

    /** The same upload with another state document and more committed pieces. */
    Envelope next(String nextState, List<Piece> added) {
        List<Piece> all = new ArrayList<>(pieces);
        all.addAll(added);
        return new Envelope(uploadId, partSize, total, all, nextState);
    }

    /** The end of the furthest committed piece. */
    long extent() {
        return pieces.stream().mapToLong(Piece::end).max().orElse(0);
    }

    /** How many parts the upload has, once its length is known ({@code total}, or else the extent). */
    int partCount(long length) {
        return length <= 0 ? 0 : (int) ((length + partSize - 1) / partSize);
    }

    /** The first byte of a part (numbered from 1). */
    long partStart(int number) {
        return (number - 1) * partSize;
    }

    /** The byte after the last of a part (numbered from 1) in an upload of {@code length}. */
    long partEnd(int number, long length) {
        return Math.min(number * partSize, length);
    }

    /**
     * Which committed pieces hold {@code [from, to)}, in order, or null when a byte of it is in no
     * committed piece. Overlapping pieces hold equal bytes (the engine compares overlaps before it
     * commits), so any of them will do.
     */
    List<Segment> cover(long from, long to) {
        List<Piece> sorted = new ArrayList<>(pieces);
        sorted.sort(Comparator.comparingLong(Piece::start));
        List<Segment> segments = new ArrayList<>();
        long position = from;
        while (position < to) {
            Piece best = null;
            for (Piece piece : sorted) {
                if (piece.start() > position) {
                    break;
                }
                if (piece.end() > position && (best == null || piece.end() > best.end())) {
                    best = piece;
                }
            }
            if (best == null) {
                return null;
            }
            long end = Math.min(best.end(), to);
            segments.add(new Segment(best, position - best.start(), end - position));
            position = end;
        }
        return segments;
    }

    String toJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", FORMAT);
        doc.put("uploadId", uploadId);
        doc.put("partSize", partSize);
        doc.put("total", total);
        List<Object> list = new ArrayList<>(pieces.size());
        for (Piece piece : pieces) {
            list.add(List.of(piece.start(), piece.end(), piece.nonce()));
        }
        doc.put("pieces", list);
        doc.put("state", state);
        return Json.write(doc);
    }

    /**
     * Reads an envelope.
     *
     * @throws IllegalArgumentException when the text is not one
     */
    static Envelope parse(String json) {
        Map<String, Object> doc = Json.parseObject(json);
        if (!Long.valueOf(FORMAT).equals(doc.get("format"))) {
            throw new IllegalArgumentException("unknown state object format: " + doc.get("format"));
        }
        List<Piece> pieces = new ArrayList<>();
        if (!(doc.get("pieces") instanceof List<?> list)) {
            throw new IllegalArgumentException("state object without pieces");
        }
        for (Object item : list) {
            if (!(item instanceof List<?> triple) || triple.size() != 3 || !(triple.get(0) instanceof Long start)
                    || !(triple.get(1) instanceof Long end) || !(triple.get(2) instanceof String nonce)) {
                throw new IllegalArgumentException("malformed piece in state object");
            }
            pieces.add(new Piece(start, end, nonce));
        }
        Object uploadId = doc.get("uploadId");
        if (!(doc.get("partSize") instanceof Long partSize) || !(doc.get("total") instanceof Long total)
                || !(doc.get("state") instanceof String state) || uploadId != null && !(uploadId instanceof String)) {
            throw new IllegalArgumentException("malformed state object");
        }
        return new Envelope((String) uploadId, partSize, total, pieces, state);
    }

    /**
     * One staging object: bytes {@code [start, end)} of the upload.
     *
     * @param nonce random, so that writers on different servers never overwrite each other's pieces
     */
    record Piece(long start, long end, String nonce) {
        Piece {
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("empty or negative piece: " + start + "-" + end);
            }
            if (!nonce.matches("[0-9a-f]{32}")) {
                throw new IllegalArgumentException("malformed piece nonce");
            }
        }

        long length() {
            return end - start;
        }

        /** The piece's object name below the upload's piece prefix. */
        String name() {
            return String.format("%016x-%016x-%s", start, end, nonce);
        }
    }

    /**
     * Bytes {@code [offset, offset + length)} of one piece.
     */
    record Segment(Piece piece, long offset, long length) {
    }
}
