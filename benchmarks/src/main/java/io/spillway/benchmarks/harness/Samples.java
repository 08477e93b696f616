package io.spillway.benchmarks.harness;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics over measured values; NaN values (failed measurements) are ignored. */
public final class Samples {

    private Samples() {
    }

    /** The median, or NaN when there is no value. */
    public static double median(Collection<Double> values) {
        double[] sorted = sorted(values);
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The smallest value, or NaN. */
    public static double min(Collection<Double> values) {
        double[] sorted = sorted(values);
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    /** The largest value, or NaN. */
    public static double max(Collection<Double> values) {
        double[] sorted = sorted(values);
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    /** The nearest-rank percentile ({@code 0 < p <= 100}) of unsorted values, or NaN. */
    public static double percentile(long[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double[] sorted(Collection<Double> values) {
        return values.stream().filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
    }
}
