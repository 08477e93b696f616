package io.spillway.core.resumable;

/**
 * A half-open span of byte offsets {@code [start, end)}.
 *
 * @param start the first offset
 * @param end   one past the last offset
 */
public record ByteRange(long start, long end) {

    public ByteRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid byte range: [" + start + ", " + end + ")");
        }
    }

    /** The number of bytes. */
    public long length() {
        return end - start;
    }

    /** The overlap with another span, possibly empty ({@code length() == 0}). */
    public ByteRange intersect(ByteRange other) {
        long s = Math.max(start, other.start);
        long e = Math.min(end, other.end);
        return e <= s ? new ByteRange(s, s) : new ByteRange(s, e);
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
