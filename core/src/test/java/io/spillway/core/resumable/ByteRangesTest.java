package io.spillway.core.resumable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ByteRangesTest {

    @Test
    void add_mergesAdjacentAndOverlapping() {
        ByteRanges r = ByteRanges.empty().add(new ByteRange(10, 20)).add(new ByteRange(0, 5)).add(new ByteRange(5, 10));
        assertEquals(List.of(new ByteRange(0, 20)), r.spans());
        r = r.add(new ByteRange(30, 40)).add(new ByteRange(15, 35));
        assertEquals(List.of(new ByteRange(0, 40)), r.spans());
    }

    @Test
    void gap_keepsContiguousPrefixShort_andNeverCovers() {
        ByteRanges r = ByteRanges.of(List.of(new ByteRange(0, 10), new ByteRange(11, 20)));
        assertEquals(10, r.contiguousFromZero());
        assertFalse(r.covers(20));
        assertEquals(2, r.spanCount());
        assertEquals(19, r.byteCount());
        assertEquals(20, r.extent());
        assertTrue(r.add(new ByteRange(10, 11)).covers(20));
    }

    @Test
    void prefix_isZeroWhenOffsetZeroMissing() {
        assertEquals(0, ByteRanges.of(List.of(new ByteRange(1, 10))).contiguousFromZero());
    }

    @Test
    void overlaps_listsOnlyHeldParts() {
        ByteRanges r = ByteRanges.of(List.of(new ByteRange(0, 10), new ByteRange(20, 30)));
        assertEquals(List.of(new ByteRange(5, 10), new ByteRange(20, 25)), r.overlaps(new ByteRange(5, 25)));
        assertEquals(List.of(), r.overlaps(new ByteRange(10, 20)));
    }

    @Test
    void clip_dropsEverythingAtOrBeyondTheLimit() {
        ByteRanges r = ByteRanges.of(List.of(new ByteRange(0, 10), new ByteRange(20, 30)));
        assertEquals(List.of(new ByteRange(0, 10), new ByteRange(20, 25)), r.clip(25).spans());
        assertEquals(List.of(new ByteRange(0, 10)), r.clip(20).spans());
        assertEquals(r, r.clip(30));
        assertEquals(List.of(), r.clip(0).spans());
    }

    @Test
    void coversZeroLength() {
        assertTrue(ByteRanges.empty().covers(0));
        assertFalse(ByteRanges.empty().covers(1));
    }
}
