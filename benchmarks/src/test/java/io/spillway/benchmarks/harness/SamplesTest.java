package io.spillway.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void median_ofOddAndEvenCounts_ignoringFailedMeasurements() {
        assertEquals(3.0, Samples.median(List.of(5.0, 1.0, 3.0)));
        assertEquals(2.5, Samples.median(List.of(4.0, 1.0, 2.0, 3.0, Double.NaN)));
        assertTrue(Double.isNaN(Samples.median(List.of(Double.NaN))));
    }

    @Test
    void minAndMax_ignoreFailedMeasurements() {
        assertEquals(1.0, Samples.min(List.of(Double.NaN, 3.0, 1.0)));
        assertEquals(3.0, Samples.max(List.of(Double.NaN, 3.0, 1.0)));
    }

    @Test
    void percentile_isNearestRank() {
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[99 - i] = i + 1;
        }
        assertEquals(50.0, Samples.percentile(hundred, 50));
        assertEquals(99.0, Samples.percentile(hundred, 99));
        assertEquals(100.0, Samples.percentile(hundred, 100));
        assertEquals(7.0, Samples.percentile(new long[] {7}, 99));
        assertTrue(Double.isNaN(Samples.percentile(new long[0], 50)));
    }
}
