package io.spillway.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations written as a number and a unit: {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 24h}, {@code 7d}. A bare {@code 0} means zero; other bare numbers are refused because
 * nobody can tell whether they mean seconds or milliseconds.
 */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException when the text is not a duration, or is too long to count in
     *                                  milliseconds
     */
    public static Duration parse(String text) {
        String trimmed = text.trim();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration");
        }
        long amount = Long.parseLong(m.group(1));
        Duration duration = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        try {
            duration.toMillis();
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("too long", overflow);
        }
        return duration;
    }

    /** Formats a duration the way {@link #parse} reads it, in the largest exact unit. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0";
        }
        if (duration.getNano() != 0) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
