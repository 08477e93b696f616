package io.spillway.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest(name = "\"{0}\" is {1} bytes")
    @CsvSource(delimiter = '|', textBlock = """
            512        | 512
            0          | 0
            64KB       | 65536
            64K        | 65536
            64KiB      | 65536
            64kb       | 65536
            64k        | 65536
            10MB       | 10485760
            10M        | 10485760
            4GB        | 4294967296
            1GiB       | 1073741824
            1gib       | 1073741824
            2TB        | 2199023255552
            1PiB       | 1125899906842624
            100B       | 100
            100b       | 100
            100 MB     | 104857600
            '  10MB  ' | 10485760
            1.5GB      | 1610612736
            0.5KB      | 512
            1.5        | 1
            0.9        | 0
            1.25KB         | 1280
            """)
    void parse_acceptsWhatPeopleWrite(String text, long bytes) {
        assertEquals(bytes, Sizes.parse(text));
    }

    @Test
    void parse_kbAndKib_areBothBinary() {
        assertEquals(Sizes.parse("3KiB"), Sizes.parse("3KB"));
        assertEquals(3 * 1024, Sizes.parse("3KB"));
    }

    @Test
    void parse_longMaxValue_isExact() {
        assertEquals(Long.MAX_VALUE, Sizes.parse("9223372036854775807"));
    }

    @Test
    void parse_numberAboveDoublePrecision_isExact() {
        assertEquals(9_007_199_254_740_993L, Sizes.parse("9007199254740993"));
    }

    @Test
    void parse_largestWholeUnitThatFits_isExact() {
        assertEquals(8191L << 50, Sizes.parse("8191PB"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "8192PB", "8192PiB", "9999999999999999999", "9999999999PB"})
    void parse_overflowingLong_throwsTooLarge(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text));
        assertEquals("too large", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "abc", "-1", "-1KB", "10XB", "10 M B", "1.GB", ".5GB", "10MBB",
            "1e3", "1,5GB", "0x10", "10iB", "10 GiBs", "MB", "10EB", "99999999999999999999", "1.0000000001KB"})
    void parse_badInput_throwsNotASize(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text));
        assertEquals("not a size", e.getMessage());
    }

    @ParameterizedTest(name = "{0} bytes print as \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            0                   | 0 B
            17                  | 17 B
            1023                | 1023 B
            1024                | 1.0 KiB
            1536                | 1.5 KiB
            10240               | 10 KiB
            102400              | 100 KiB
            851443712           | 812 MiB
            3221225472          | 3.0 GiB
            1610612736          | 1.5 GiB
            8589934592          | 8.0 GiB
            10485761            | 10.0 MiB
            1099511627776       | 1.0 TiB
            9223372036854775807 | 8192 PiB
            -1024               | -1.0 KiB
            -17                 | -17 B
            """)
    void format_printsForPeople(long bytes, String text) {
        assertEquals(text, Sizes.format(bytes));
    }

    @Test
    void format_justBelowTheNextUnit_roundsUpToThatUnit() {
        assertEquals("1.0 MiB", Sizes.format((1L << 20) - 1));
        assertEquals("1.0 GiB", Sizes.format((1L << 30) - 1));
    }

    @Test
    void format_longMinValue_printsNegative() {
        assertEquals("-8192 PiB", Sizes.format(Long.MIN_VALUE));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 17, 1024, 10240, 851443712, 3221225472L, 1610612736, 1L << 40})
    void format_ofExactUnits_parsesBackToTheSameNumber(long bytes) {
        assertEquals(bytes, Sizes.parse(Sizes.format(bytes).replace(" ", "")));
    }

    @Test
    void fixed_roundsLikeTheFormatter() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(6);
        double[] edges = {0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.5, 1.5, 2.5, 9.95, 99.95, 1023.95, 12.25, 1e7, 1e22,
                -0.0, -1.25, Double.NaN, Double.POSITIVE_INFINITY};
        for (double value : edges) {
            assertFixedMatchesFormatter(value);
        }
        for (int i = 0; i < 100_000; i++) {
            assertFixedMatchesFormatter(random.nextDouble() * Math.pow(10, random.nextInt(-3, 8)));
            assertFixedMatchesFormatter(random.nextLong(1, 1L << 50) / Math.pow(1024, random.nextInt(0, 5)));
        }
    }

    private static void assertFixedMatchesFormatter(double value) {
        for (int decimals = 0; decimals <= 1; decimals++) {
            assertEquals(String.format(java.util.Locale.ROOT, "%." + decimals + "f", value), Sizes.fixed(value, decimals),
                    "value " + value);
        }
    }
}
