package io.spillway.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManualTickerTest {

    @Test
    void advance_movesNanosAndMillis_andNothingElseDoes() {
        ManualTicker ticker = new ManualTicker();
        assertEquals(0, ticker.nanos());
        ticker.advance(Duration.ofMillis(1500));
        ticker.advanceMillis(500);
        assertEquals(2_000_000_000L, ticker.nanos());
        assertEquals(2000, ticker.millis());
    }

    @Test
    void advance_backwards_isRefused() {
        ManualTicker ticker = new ManualTicker();
        assertEquals("a ticker never goes back: PT-1S",
                assertThrows(IllegalArgumentException.class, () -> ticker.advance(Duration.ofSeconds(-1))).getMessage());
    }

    @Test
    void systemTicker_neverGoesBack() {
        Ticker system = Ticker.system();
        long first = system.nanos();
        assertTrue(system.nanos() >= first);
    }
}
