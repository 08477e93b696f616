package io.spillway.servlet.hardening;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference model of one Content-Range upload: which bytes the server holds and which
 * outcome each chunk must have. A chunk is stored unless it disagrees with bytes already held
 * (409); the upload completes when every byte is held; after that, chunks are refused.
 */
final class ChunkModel {

    /** What a chunk must lead to. */
    enum Outcome { STORED, COMPLETED, CONFLICT, BAD_LENGTH, TOTAL_CHANGED, GONE }

    private final byte[] held;
    private final boolean[] has;
    private boolean completed;

    ChunkModel(int total) {
        this.held = new byte[total];
        this.has = new boolean[total];
    }

    int total() {
        return held.length;
    }

    boolean completed() {
        return completed;
    }

    /** The outcome of storing {@code body} at {@code first}; applies it when it is stored. */
    Outcome apply(int first, byte[] body) {
        if (completed) {
            return Outcome.GONE;
        }
        for (int i = 0; i < body.length; i++) {
            if (has[first + i] && held[first + i] != body[i]) {
                return Outcome.CONFLICT;
            }
        }
        for (int i = 0; i < body.length; i++) {
            held[first + i] = body[i];
            has[first + i] = true;
        }
        for (boolean b : has) {
            if (!b) {
                return Outcome.STORED;
            }
        }
        completed = true;
        return Outcome.COMPLETED;
    }

    /** The file as the server must deliver it. */
    byte[] file() {
        return held.clone();
    }

    /** Every held span as inclusive {@code [first, last]} pairs, as the status JSON lists them. */
    List<List<Long>> ranges() {
        List<List<Long>> ranges = new ArrayList<>();
        int i = 0;
        while (i < has.length) {
            if (!has[i]) {
                i++;
                continue;
            }
            int start = i;
            while (i < has.length && has[i]) {
                i++;
            }
            ranges.add(List.of((long) start, (long) i - 1));
        }
        return ranges;
    }

    /** Bytes held without a gap from offset 0. */
    long contiguous() {
        int i = 0;
        while (i < has.length && has[i]) {
            i++;
        }
        return i;
    }

    /** One chunk a test sends: the header's numbers and the body. */
    record Chunk(int first, long last, long total, byte[] body, Outcome expected) {

        String header() {
            return "bytes " + first + "-" + last + "/" + total;
        }

        @Override
        public String toString() {
            return header() + " (" + body.length + " bytes, expect " + expected + ")";
        }
    }

    /** The kinds of chunk a sequence mixes. */
    enum Kind { RIGHT, EXCLUSIVE_END, OTHER_BYTES, BAD_LENGTH, OTHER_TOTAL }

    /**
     * Makes a chunk of a kind over the true file, and predicts (and applies) its outcome.
     *
     * @param first  the offset, within the file
     * @param length at least 1, at most {@code total - first}
     * @param flip   which byte of the body an OTHER_BYTES chunk changes
     */
    Chunk next(byte[] truth, Kind kind, int first, int length, int flip) {
        byte[] body = Arrays.copyOfRange(truth, first, first + length);
        switch (kind) {
            case EXCLUSIVE_END:
                return new Chunk(first, first + length, total(), body, apply(first, body));
            case OTHER_BYTES:
                body[flip % length] ^= 0x5a;
                return new Chunk(first, first + length - 1, total(), body, apply(first, body));
            case BAD_LENGTH:
                return new Chunk(first, first + length - 1, total(), Arrays.copyOf(body, length + 1),
                        completed ? Outcome.GONE : Outcome.BAD_LENGTH);
            case OTHER_TOTAL:
                return new Chunk(first, first + length - 1, total() + 1L, body,
                        completed ? Outcome.GONE : Outcome.TOTAL_CHANGED);
            default:
                return new Chunk(first, first + length - 1, total(), body, apply(first, body));
        }
    }
}
