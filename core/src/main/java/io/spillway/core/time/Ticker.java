package io.spillway.core.time;

import java.util.concurrent.TimeUnit;

/**
 * A monotonic time source, for measuring intervals: how long a body stayed below the minimum
 * rate, how long a writer has been silent, how fast an upload goes. Its values mean nothing on
 * their own, only their differences; unlike a wall {@link java.time.Clock} it never jumps when
 * the system time is set. Wall-clock instants that are stored or shown (expiry dates, JSON
 * timestamps) keep coming from a {@code Clock}.
 *
 * <p>Injected into every timer, as Caffeine injects its {@code Ticker}, so that tests move time
 * with a {@link ManualTicker} instead of waiting for it.
 */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds since an arbitrary, fixed origin. */
    long nanos();

    /** {@link #nanos()} in whole milliseconds. */
    default long millis() {
        return TimeUnit.NANOSECONDS.toMillis(nanos());
    }

    /** The ticker of this JVM, {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
