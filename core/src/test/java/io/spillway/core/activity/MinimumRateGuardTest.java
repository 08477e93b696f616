package io.spillway.core.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MinimumRateGuardTest {

    private static final long RATE = 1024;
    private static final Duration WINDOW = Duration.ofSeconds(8);

    @Test
    void firstWindow_isAGracePeriod() {
        MinimumRateGuard guard = new MinimumRateGuard(RATE, WINDOW, 0);
        for (long t = 0; t < 8000; t += 1000) {
            assertEquals(Optional.empty(), guard.check(t, 0));
        }
    }

    @Test
    void drip_isCutOffOnceAWholeWindowWasTooSlow() {
        MinimumRateGuard guard = new MinimumRateGuard(RATE, WINDOW, 0);
        long bytes = 0;
        Optional<String> verdict = Optional.empty();
        long t = 0;
        while (verdict.isEmpty() && t < 60_000) {
            t += 1000;
            bytes += 1;
            verdict = guard.check(t, bytes);
        }
        assertEquals(8000, t, "cut off at the end of the first window");
        assertEquals("upload too slow: 8 bytes in the last 8s, minUploadRate is 1.0 KiB/s over minRateWindow 8s",
                verdict.orElseThrow());
    }

    @Test
    void steadyBody_atTheRate_isNeverCutOff() {
        MinimumRateGuard guard = new MinimumRateGuard(RATE, WINDOW, 0);
        for (long t = 1000; t <= 120_000; t += 1000) {
            assertEquals(Optional.empty(), guard.check(t, t / 1000 * RATE), "at " + t);
        }
    }

    @Test
    void fastStartThenStall_isCutOffWithinAboutAWindowOfTheStall() {
        MinimumRateGuard guard = new MinimumRateGuard(RATE, WINDOW, 0);
        long bytes = 0;
        long t = 0;
        for (; t < 30_000; t += 1000) {
            bytes += 100 * RATE;
            assertEquals(Optional.empty(), guard.check(t, bytes));
        }
        long lastByteAt = t - 1000;
        Optional<String> verdict = Optional.empty();
        while (verdict.isEmpty()) {
            t += 1000;
            verdict = guard.check(t, bytes);
        }
        long afterStall = t - lastByteAt;
        assertTrue(afterStall >= 8000 && afterStall <= 9000, "cut off " + afterStall + " ms after the last byte");
    }

    @Test
    void checksFarApart_stillMeasureAtLeastOneWindow() {
        MinimumRateGuard guard = new MinimumRateGuard(RATE, WINDOW, 0);
        assertEquals(Optional.empty(), guard.check(30_000, 40 * RATE), "about 1.3 KiB/s since the start");
        assertTrue(guard.check(60_000, 50 * RATE).isPresent(), "10 KiB in 30 s");
    }
}
