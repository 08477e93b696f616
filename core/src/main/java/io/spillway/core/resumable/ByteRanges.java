package io.spillway.core.resumable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The set of byte spans an upload has received: sorted, disjoint, adjacent spans merged.
 * Immutable; {@link #add} returns a new set.
 */
public final class ByteRanges {

    private static final ByteRanges EMPTY = new ByteRanges(List.of());

    private final List<ByteRange> spans;

    private ByteRanges(List<ByteRange> spans) {
        this.spans = spans;
    }

    /** No bytes. */
    public static ByteRanges empty() {
        return EMPTY;
    }

    /**
     * Builds a set from spans in any order; overlapping or adjacent spans are merged.
     */
    public static ByteRanges of(List<ByteRange> spans) {
        ByteRanges result = EMPTY;
        for (ByteRange span : spans) {
            result = result.add(span);
        }
        return result;
    }

    /** This set plus one span. */
    public ByteRanges add(ByteRange span) {
        if (span.length() == 0) {
            return this;
        }
        List<ByteRange> merged = new ArrayList<>(spans.size() + 1);
        long start = span.start();
        long end = span.end();
        int i = 0;
        while (i < spans.size() && spans.get(i).end() < start) {
            merged.add(spans.get(i++));
        }
        while (i < spans.size() && spans.get(i).start() <= end) {
            start = Math.min(start, spans.get(i).start());
            end = Math.max(end, spans.get(i).end());
            i++;
        }
        merged.add(new ByteRange(start, end));
        while (i < spans.size()) {
            merged.add(spans.get(i++));
        }
        return new ByteRanges(Collections.unmodifiableList(merged));
    }

    /** The parts of {@code span} this set already holds, in order. */
    public List<ByteRange> overlaps(ByteRange span) {
        List<ByteRange> result = new ArrayList<>();
        for (ByteRange held : spans) {
            ByteRange common = held.intersect(span);
            if (common.length() > 0) {
                result.add(common);
            }
        }
        return result;
    }

    /** This set without anything at or after {@code limit}. */
    public ByteRanges clip(long limit) {
        List<ByteRange> kept = new ArrayList<>();
        for (ByteRange held : spans) {
            if (held.start() >= limit) {
                break;
            }
            kept.add(new ByteRange(held.start(), Math.min(held.end(), limit)));
        }
        return kept.size() == spans.size() && (spans.isEmpty() || spans.get(spans.size() - 1).end() <= limit)
                ? this : new ByteRanges(Collections.unmodifiableList(kept));
    }

    /** How many bytes are held without a gap from offset 0. */
    public long contiguousFromZero() {
        return spans.isEmpty() || spans.get(0).start() != 0 ? 0 : spans.get(0).end();
    }

    /** Whether every byte of {@code [0, total)} is held. */
    public boolean covers(long total) {
        return total == 0 || contiguousFromZero() >= total;
    }

    /** One past the highest byte held, or 0. */
    public long extent() {
        return spans.isEmpty() ? 0 : spans.get(spans.size() - 1).end();
    }

    /** The number of bytes held. */
    public long byteCount() {
        long sum = 0;
        for (ByteRange span : spans) {
            sum += span.length();
        }
        return sum;
    }

    /** The number of separate spans (1 for a file without gaps). */
    public int spanCount() {
        return spans.size();
    }

    /** The spans, sorted. */
    public List<ByteRange> spans() {
        return spans;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteRanges other && spans.equals(other.spans);
    }

    @Override
    public int hashCode() {
        return spans.hashCode();
    }

    @Override
    public String toString() {
        return spans.toString();
    }
}
