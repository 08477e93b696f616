package io.spillway.core.activity;

import io.spillway.core.config.Durations;
import io.spillway.core.config.Sizes;
import java.time.Duration;
import java.util.Optional;

/**
 * Tells whether a body arrives too slowly: fewer than {@code bytesPerSecond} per second over the
 * last {@code window}. The first window after the start is a grace period, so a body is judged
 * only once it had the whole window to prove itself.
 *
 * <p>The measured interval is the newest sample at or before {@code now - window} up to now, so
 * it is between one window and one window plus a sample spacing (a eighth of the window) long.
 */
public final class MinimumRateGuard {

    private static final int SLICES = 8;

    private final long bytesPerSecond;
    private final Duration window;
    private final long windowMillis;
    private final long startMillis;
    private final ThroughputWindow samples;

    public MinimumRateGuard(long bytesPerSecond, Duration window, long startMillis) {
        if (bytesPerSecond < 1 || window.toMillis() < 1) {
            throw new IllegalArgumentException("minimum rate and window must be positive: "
                    + bytesPerSecond + ", " + window);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.window = window;
        this.windowMillis = window.toMillis();
        this.startMillis = startMillis;
        this.samples = new ThroughputWindow(startMillis, spacingOf(window), SLICES + 2);
    }

    /** How often a watchdog should call {@link #check}: a eighth of the window, at least 10 ms. */
    public static long spacingOf(Duration window) {
        return Math.max(10, window.toMillis() / SLICES);
    }

    /**
     * Checks the rate at {@code nowMillis}, given the bytes counted by then.
     *
     * @return why the body is too slow, or empty while it is fast enough (or still in its grace window)
     */
    public Optional<String> check(long nowMillis, long total) {
        samples.record(nowMillis, total);
        if (nowMillis - startMillis < windowMillis) {
            return Optional.empty();
        }
        ThroughputWindow.Sample base = samples.at(nowMillis - windowMillis);
        long elapsed = nowMillis - base.millis();
        long arrived = total - base.total();
        if (elapsed < windowMillis || arrived * 1000 >= bytesPerSecond * elapsed) {
            return Optional.empty();
        }
        return Optional.of("upload too slow: " + arrived + " bytes in the last " + Durations.format(Duration.ofMillis(elapsed))
                + ", minUploadRate is " + Sizes.format(bytesPerSecond) + "/s over minRateWindow " + Durations.format(window));
    }
}
