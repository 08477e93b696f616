package io.spillway.core.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            500ms     | PT0.5S
            30s       | PT30S
            5m        | PT5M
            24h       | PT24H
            7d        | PT168H
            0         | PT0S
            0s        | PT0S
            0ms       | PT0S
            30S       | PT30S
            1H        | PT1H
            250MS     | PT0.25S
            30 s      | PT30S
            '  30s  ' | PT30S
            999999999999h | PT999999999999H
            """)
    void parse_acceptsNumberAndUnit(String text, Duration expected) {
        assertEquals(expected, Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "1000", "", "  ", "-1s", "1.5s", "1w", "s", "30sec", "ms", "1m30s",
            "1000000000000s", "PT30S", "thirty seconds"})
    void parse_badInput_throws(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertEquals("not a duration", e.getMessage());
    }

    @Test
    void parse_bareNumberOtherThanZero_isRefusedBecauseTheUnitIsAmbiguous() {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5"));
    }

    @Test
    void parse_durationBeyondWhatMillisecondsHold_throwsTooLong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse("999999999999d"));
        assertEquals("too long", e.getMessage());
    }

    @ParameterizedTest(name = "{0} prints as \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            PT0S      | 0
            PT0.5S    | 500ms
            PT1.5S    | 1500ms
            PT30S     | 30s
            PT90S     | 90s
            PT5M      | 5m
            PT36H     | 36h
            PT24H     | 1d
            PT168H    | 7d
            """)
    void format_usesTheLargestExactUnit(Duration duration, String text) {
        assertEquals(text, Durations.format(duration));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "500ms", "1500ms", "30s", "90s", "5m", "36h", "1d", "7d", "999999999999h"})
    void format_parsesBackToTheSameText(String text) {
        assertEquals(text, Durations.format(Durations.parse(text)));
    }

    @Test
    void format_durationTooLongForMilliseconds_doesNotThrow() {
        Duration huge = Duration.ofSeconds(Long.MAX_VALUE / 2 / 86_400 * 86_400);
        String text = assertDoesNotThrow(() -> Durations.format(huge));
        assertEquals(Long.MAX_VALUE / 2 / 86_400 + "d", text);
    }
}
