package io.spillway.benchmarks.harness.client;

import java.util.Map;

/**
 * A server JVM's heap since its last reset, as reported by its {@code /stats} endpoint (bytes).
 *
 * @param heapUsed     heap in use now
 * @param heapMax      -Xmx
 * @param baseline     heap in use right after the full collection of the reset
 * @param peakUsed     the most heap in use at any moment since the reset, garbage included
 * @param peakAfterGc  the most heap left in use after a collection since the reset: what the
 *                     server really held on to
 * @param collections  collections since the reset
 * @param collectors   the garbage collectors' names
 */
public record HeapStats(long heapUsed, long heapMax, long baseline, long peakUsed, long peakAfterGc, long collections, String collectors) {

    /** Reads the JSON answer of {@code /stats}. */
    public static HeapStats of(Map<String, Object> json) {
        return new HeapStats(
                (Long) json.get("heapUsed"),
                (Long) json.get("heapMax"),
                (Long) json.get("baselineHeapUsed"),
                (Long) json.get("peakHeapUsed"),
                (Long) json.get("peakHeapAfterGc"),
                (Long) json.get("collections"),
                (String) json.get("collectors"));
    }

    /** How far the heap rose above the baseline at its peak, garbage included. */
    public long peakGrowth() {
        return peakUsed - baseline;
    }

    /** How far the heap left after a collection rose above the baseline. */
    public long retainedGrowth() {
        return peakAfterGc - baseline;
    }
}
