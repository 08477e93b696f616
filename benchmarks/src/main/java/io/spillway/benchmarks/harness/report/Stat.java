package io.spillway.benchmarks.harness.report;

import io.spillway.benchmarks.harness.Samples;
import java.util.List;
import java.util.Locale;

/**
 * Median, minimum and maximum of repeated measurements, ignoring failed ones (NaN).
 *
 * @param median the median
 * @param min    the smallest
 * @param max    the largest
 * @param count  how many measurements succeeded
 */
public record Stat(double median, double min, double max, int count) {

    /** Summarizes values. */
    public static Stat of(List<Double> values) {
        int count = (int) values.stream().filter(v -> !v.isNaN()).count();
        return new Stat(Samples.median(values), Samples.min(values), Samples.max(values), count);
    }

    /** True when no measurement succeeded. */
    public boolean isEmpty() {
        return count == 0;
    }

    /** {@code 512 (498-530)} with the given number format, or {@code -} when empty. */
    public String format(String number) {
        if (isEmpty()) {
            return "-";
        }
        String median = String.format(Locale.ROOT, number, this.median);
        if (count == 1) {
            return median;
        }
        return median + " (" + String.format(Locale.ROOT, number, min) + "–" + String.format(Locale.ROOT, number, max) + ")";
    }
}
