package io.spillway.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that tests move by hand, so that anything sampled "every second" can be driven
 * without sleeping. Thread-safe; always in UTC.
 */
public final class MutableClock extends Clock {

    /** The instant every new clock starts at, unless told otherwise. */
    public static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;

    public MutableClock() {
        this(START);
    }

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** Moves the clock forward (or back, with a negative duration). */
    public void advance(Duration duration) {
        now.updateAndGet(instant -> instant.plus(duration));
    }

    /** Sets the clock to an instant. */
    public void set(Instant instant) {
        now.set(instant);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a MutableClock is always UTC");
    }
}
