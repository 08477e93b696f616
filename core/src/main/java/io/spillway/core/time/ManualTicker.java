package io.spillway.core.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when told, for tests and simulations: a test that checks a
 * 3-second window advances it by 3 seconds instead of sleeping. Thread-safe.
 */
public final class ManualTicker implements Ticker {

    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanos() {
        return nanos.get();
    }

    /** Moves time forward. */
    public void advance(Duration elapsed) {
        if (elapsed.isNegative()) {
            throw new IllegalArgumentException("a ticker never goes back: " + elapsed);
        }
        nanos.addAndGet(elapsed.toNanos());
    }

    /** Moves time forward by this many milliseconds. */
    public void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }
}
