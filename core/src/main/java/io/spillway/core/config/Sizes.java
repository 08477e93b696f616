package io.spillway.core.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints byte sizes the way people write them in {@code web.xml}: {@code 512},
 * {@code 64KB}, {@code 10MB}, {@code 4GB}, {@code 1GiB}.
 *
 * <p>Units are binary, as in Tomcat and Spring: {@code KB} and {@code KiB} both mean 1024 bytes.
 * Fractions are allowed ({@code 1.5GB}); the result is rounded down to whole bytes.
 */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,19}(?:\\.\\d{1,9})?)\\s*(?:([KMGTP])(?:i?B)?|B)?", Pattern.CASE_INSENSITIVE);
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Sizes() {
    }

    /**
     * Parses a size.
     *
     * @throws IllegalArgumentException when the text is not a size, or does not fit in a long
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size");
        }
        int exponent = m.group(2) == null ? 0 : "KMGTP".indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1;
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(exponent));
        try {
            return bytes.setScale(0, RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("too large", overflow);
        }
    }

    /** Formats a byte count for people: {@code 812 MiB}, {@code 3.0 GiB}, {@code 17 B}. */
    public static String format(long bytes) {
        if (bytes > -1024 && bytes < 1024) {
            return bytes + " B";
        }
        String sign = bytes < 0 ? "-" : "";
        int unit = 0;
        double value = Math.abs((double) bytes);
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        if (Math.round(value) >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        int decimals = value >= 100 || value == Math.floor(value) && value >= 10 ? 0 : 1;
        return sign + fixed(value, decimals) + " " + UNITS[unit];
    }

    /**
     * A non-negative number with a fixed count of decimals, rounded half up like {@code %.1f}
     * (from the same shortest decimal form), without a {@link java.util.Formatter} per call: this
     * runs for every routed upload.
     */
    public static String fixed(double value, int decimals) {
        if (!Double.isFinite(value) || Double.doubleToRawLongBits(value) < 0) {
            return String.format(Locale.ROOT, "%." + decimals + "f", value);
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }
}
