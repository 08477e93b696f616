package io.spillway.core.activity;

/**
 * Remembers how many bytes had arrived at a few recent moments, so that the bytes of the last
 * interval can be told without keeping every read: a ring of samples taken at least
 * {@code spacing} apart. Used for the minimum upload rate and for the speed shown in progress.
 *
 * <p>Thread-safe; samples are cheap to offer ({@link #record} drops those that come too soon).
 */
public final class ThroughputWindow {

    private final long spacing;
    private final long[] times;
    private final long[] totals;
    private int newest = -1;
    private int count;

    /**
     * @param startMillis when counting started (the first sample, with 0 bytes)
     * @param spacing     the least time between two kept samples, in milliseconds
     * @param capacity    how many samples are kept; they span at least {@code (capacity - 1) * spacing}
     */
    public ThroughputWindow(long startMillis, long spacing, int capacity) {
        if (spacing < 1 || capacity < 2) {
            throw new IllegalArgumentException("spacing must be at least 1 and capacity at least 2: "
                    + spacing + ", " + capacity);
        }
        this.spacing = spacing;
        this.times = new long[capacity];
        this.totals = new long[capacity];
        restart(startMillis, 0);
    }

    /** Forgets every sample and starts again from one. */
    public synchronized void restart(long nowMillis, long total) {
        newest = 0;
        count = 1;
        times[0] = nowMillis;
        totals[0] = total;
    }

    /** Offers a sample; it is kept unless the newest kept sample is less than the spacing old. */
    public synchronized void record(long nowMillis, long total) {
        if (nowMillis - times[newest] < spacing) {
            return;
        }
        newest = (newest + 1) % times.length;
        times[newest] = nowMillis;
        totals[newest] = total;
        count = Math.min(count + 1, times.length);
    }

    /** The newest sample taken at or before the moment, or the oldest one kept when all are younger. */
    public synchronized Sample at(long momentMillis) {
        int index = newest;
        for (int i = 0; i < count; i++) {
            if (times[index] <= momentMillis) {
                return new Sample(times[index], totals[index]);
            }
            if (i < count - 1) {
                index = (index - 1 + times.length) % times.length;
            }
        }
        return new Sample(times[index], totals[index]);
    }

    /** The oldest sample kept. */
    public synchronized Sample oldest() {
        int index = (newest - count + 1 + times.length) % times.length;
        return new Sample(times[index], totals[index]);
    }

    /**
     * One sample.
     *
     * @param millis when it was taken
     * @param total  bytes counted by then
     */
    public record Sample(long millis, long total) {
    }
}
