package io.spillway.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One init-param, defined in one place: the name users write into {@code web.xml}, its unit as
 * the README states it, its default (written as a user would write it and parsed once), an example
 * of a good value, how text becomes a value, the rule the value must meet, and the field of
 * {@link SpillwayConfig} it sets.
 *
 * <p>{@link ConfigParser} parses with these definitions, {@link SpillwayConfig} takes its defaults
 * from them and checks its values with their rules, the JMX knobs and the Spring Boot starter use
 * their names, and a test holds the README's tables to them. The storage providers' own
 * parameters (for example {@code s3Bucket}) are defined by each provider.
 *
 * @param <T> the type of the value in {@link SpillwayConfig}
 */
public final class Param<T> {

    /** Where streamed parts and resumable uploads live; no default here (the filter picks the container's). */
    public static final Param<Path> TEMP_DIRECTORY = new Param<>("tempDirectory", "absolute path", null,
            Param::path, v -> v.isAbsolute() ? null : "must be an absolute path",
            SpillwayConfig.Builder::tempDirectory, SpillwayConfig::tempDirectory, String::valueOf)
            .withExample("/var/tmp/spillway");
    /** Largest single file. */
    public static final Param<Long> MAX_FILE_SIZE = size("maxFileSize", "8GB", 1,
            SpillwayConfig.Builder::maxFileSize, SpillwayConfig::maxFileSize).withExample("4GB");
    /** Largest request body. */
    public static final Param<Long> MAX_REQUEST_SIZE = size("maxRequestSize", "8GB", 1,
            SpillwayConfig.Builder::maxRequestSize, SpillwayConfig::maxRequestSize).withExample("4GB");
    /** Most parts in one request. */
    public static final Param<Integer> MAX_PARTS = new Param<>("maxParts", "count", "50",
            text -> Integer.parseInt(text.trim()), v -> v < 1 ? "must be at least 1" : null,
            SpillwayConfig.Builder::maxParts, SpillwayConfig::maxParts, String::valueOf);
    /** Largest plain form field. */
    public static final Param<Long> MAX_FIELD_SIZE = size("maxFieldSize", "1MB", 0,
            SpillwayConfig.Builder::maxFieldSize, SpillwayConfig::maxFieldSize);
    /** Largest header block of one part. */
    public static final Param<Integer> MAX_PART_HEADER_SIZE = new Param<>("maxPartHeaderSize", "size", "4KB",
            text -> (int) Math.min(Sizes.parse(text), Integer.MAX_VALUE),
            v -> v < 64 || v > (1 << 20) ? "must be between 64 and 1MB" : null,
            SpillwayConfig.Builder::maxPartHeaderSize, SpillwayConfig::maxPartHeaderSize, String::valueOf);
    /** An upload larger than this is never buffered. */
    public static final Param<Long> IN_MEMORY_THRESHOLD = size("inMemoryThreshold", "10MB", 0,
            SpillwayConfig.Builder::inMemoryThreshold, SpillwayConfig::inMemoryThreshold);
    /** Share of available memory that buffered uploads may hold together. */
    public static final Param<Double> MEMORY_FRACTION = ratio("memoryFraction", "0.5",
            SpillwayConfig.Builder::memoryFraction, SpillwayConfig::memoryFraction);
    /** Heap usage above which nothing is buffered. */
    public static final Param<Double> CRITICAL_HEAP_RATIO = ratio("criticalHeapRatio", "0.9",
            SpillwayConfig.Builder::criticalHeapRatio, SpillwayConfig::criticalHeapRatio);
    /** Free disk space that uploads may never consume. */
    public static final Param<Long> DISK_RESERVE = size("diskReserve", "512MB", 0,
            SpillwayConfig.Builder::diskReserve, SpillwayConfig::diskReserve);
    /** Memory an upload of unknown length may use before it spills. */
    public static final Param<Long> UNKNOWN_LENGTH_BUFFER = size("unknownLengthBuffer", "1MB", 0,
            SpillwayConfig.Builder::unknownLengthBuffer, SpillwayConfig::unknownLengthBuffer);
    /**
     * Heap one upload in flight costs besides the bytes it buffers; measured by benchmarks/
     * SlowUploadsBenchmark (heap after GC per streamed upload in flight).
     */
    public static final Param<Long> MEMORY_PER_UPLOAD = size("memoryPerUpload", "256KB", 0,
            SpillwayConfig.Builder::memoryPerUpload, SpillwayConfig::memoryPerUpload);
    /** Memory is sampled at most this often. */
    public static final Param<Duration> PROBE_INTERVAL = duration("probeInterval", "1s", false,
            SpillwayConfig.Builder::probeInterval, SpillwayConfig::probeInterval);
    /** The {@code Retry-After} sent with 503. */
    public static final Param<Duration> RETRY_AFTER = duration("retryAfter", "5s", true,
            SpillwayConfig.Builder::retryAfter, SpillwayConfig::retryAfter);
    /** An abandoned resumable upload is deleted after this. */
    public static final Param<Duration> UPLOAD_EXPIRY = duration("uploadExpiry", "24h", false,
            SpillwayConfig.Builder::uploadExpiry, SpillwayConfig::uploadExpiry);
    /** A body slower than this (bytes per second) over {@link #MIN_RATE_WINDOW} is cut off. */
    public static final Param<Long> MIN_UPLOAD_RATE = new Param<>("minUploadRate", "size per second", "1KB",
            Sizes::parse, atLeast(0), SpillwayConfig.Builder::minUploadRate, SpillwayConfig::minUploadRate,
            v -> Sizes.format(v) + "/s");
    /** How long a body may stay below {@link #MIN_UPLOAD_RATE}. */
    public static final Param<Duration> MIN_RATE_WINDOW = duration("minRateWindow", "20s", false,
            SpillwayConfig.Builder::minRateWindow, SpillwayConfig::minRateWindow);
    /** How long the progress of a finished upload stays readable. */
    public static final Param<Duration> PROGRESS_RETENTION = duration("progressRetention", "5m", true,
            SpillwayConfig.Builder::progressRetention, SpillwayConfig::progressRetention);
    /** The digest computed over every stored file; {@code none} (a null value) computes none. */
    public static final Param<String> DIGEST_ALGORITHM = new Param<>("digestAlgorithm", "name", "none",
            Param::digestAlgorithm, v -> null, SpillwayConfig.Builder::digestAlgorithm,
            SpillwayConfig::digestAlgorithm, v -> v == null ? "none" : v).withExample("SHA-256");
    /** The multipart parser of both routes. */
    public static final Param<String> PARSER = choice("parser", SpillwayConfig.PARSER_FAST,
            List.of(SpillwayConfig.PARSER_FAST, SpillwayConfig.PARSER_FILEUPLOAD2),
            SpillwayConfig.Builder::parser, SpillwayConfig::parser);
    /** A resumable upload's writer silent this long no longer keeps the expiry sweeper away. */
    public static final Param<Duration> STALLED_UPLOAD_TIMEOUT = duration("stalledUploadTimeout", "10s", false,
            SpillwayConfig.Builder::stalledUploadTimeout, SpillwayConfig::stalledUploadTimeout);
    /** How long {@code destroy()} waits for uploads in flight. */
    public static final Param<Duration> SHUTDOWN_TIMEOUT = duration("shutdownTimeout", "10s", true,
            SpillwayConfig.Builder::shutdownTimeout, SpillwayConfig::shutdownTimeout);
    /**
     * Where resumable uploads live: {@code local} or a storage provider's name. Which providers
     * exist depends on the class path, so {@link ConfigParser} checks the name against them.
     */
    public static final Param<String> STORAGE = new Param<>("storage", "`local` or `s3`",
            SpillwayConfig.STORAGE_LOCAL, Param::lowerCase, v -> null, SpillwayConfig.Builder::storage,
            SpillwayConfig::storage, String::valueOf);
    /** Where the parts of single-request uploads on the streamed route go. */
    public static final Param<String> STREAMED_STORAGE = choice("streamedStorage",
            SpillwayConfig.STREAMED_STORAGE_LOCAL,
            List.of(SpillwayConfig.STREAMED_STORAGE_LOCAL, SpillwayConfig.STREAMED_STORAGE_STORE),
            SpillwayConfig.Builder::streamedStorage, SpillwayConfig::streamedStorage);
    /** Whether a streamed upload's body is read with the Servlet {@code ReadListener}. */
    public static final Param<Boolean> NON_BLOCKING_INTAKE = new Param<>("nonBlockingIntake", "boolean", "false",
            Param::bool, v -> null, SpillwayConfig.Builder::nonBlockingIntake,
            SpillwayConfig::nonBlockingIntake, String::valueOf).withExample("true");

    /** Every parameter, in documentation order. */
    public static final List<Param<?>> ALL = List.of(TEMP_DIRECTORY, MAX_FILE_SIZE, MAX_REQUEST_SIZE, MAX_PARTS,
            MAX_FIELD_SIZE, MAX_PART_HEADER_SIZE, IN_MEMORY_THRESHOLD, MEMORY_FRACTION, CRITICAL_HEAP_RATIO,
            DISK_RESERVE, UNKNOWN_LENGTH_BUFFER, MEMORY_PER_UPLOAD, PROBE_INTERVAL, RETRY_AFTER, UPLOAD_EXPIRY,
            MIN_UPLOAD_RATE, MIN_RATE_WINDOW, PROGRESS_RETENTION, DIGEST_ALGORITHM, PARSER, STALLED_UPLOAD_TIMEOUT,
            SHUTDOWN_TIMEOUT, STORAGE, STREAMED_STORAGE, NON_BLOCKING_INTAKE);

    private final String name;
    private final String unit;
    private final String defaultText;
    private final String example;
    private final Function<String, T> parse;
    private final Function<T, String> rule;
    private final BiConsumer<SpillwayConfig.Builder, T> setter;
    private final Function<SpillwayConfig, T> getter;
    private final Function<T, String> format;
    private final T defaultValue;

    private Param(String name, String unit, String defaultText, Function<String, T> parse, Function<T, String> rule,
                  BiConsumer<SpillwayConfig.Builder, T> setter, Function<SpillwayConfig, T> getter,
                  Function<T, String> format) {
        this(name, unit, defaultText, defaultText, parse, rule, setter, getter, format);
    }

    private Param(String name, String unit, String defaultText, String example, Function<String, T> parse,
                  Function<T, String> rule, BiConsumer<SpillwayConfig.Builder, T> setter,
                  Function<SpillwayConfig, T> getter, Function<T, String> format) {
        this.name = name;
        this.unit = unit;
        this.defaultText = defaultText;
        this.example = example;
        this.parse = parse;
        this.rule = rule;
        this.setter = setter;
        this.getter = getter;
        this.format = format;
        this.defaultValue = defaultText == null ? null : parse.apply(defaultText);
    }

    /** The name users write, for example {@code maxFileSize}. */
    public String name() {
        return name;
    }

    /** The unit, as the README's tables write it: {@code size}, {@code duration}, {@code `fast` or `fileupload2`}. */
    public String unit() {
        return unit;
    }

    /** The default as a user would write it ({@code 8GB}); null when the default is found at run time. */
    public String defaultText() {
        return defaultText;
    }

    /** The value a configuration has when the parameter is not given; null for none. */
    public T defaultValue() {
        return defaultValue;
    }

    /** A good value, shown in every message about this parameter: the default unless a definition names another. */
    public String example() {
        return example;
    }

    /** This parameter's value in the given configuration. */
    public T valueIn(SpillwayConfig config) {
        return getter.apply(config);
    }

    /**
     * Checks a value set in code, as {@link SpillwayConfig}'s constructor does.
     *
     * @throws NullPointerException     naming the parameter, when the value is null and the parameter has a default
     * @throws IllegalArgumentException naming the parameter and the value, when the value breaks the rule
     */
    public void require(T value) {
        if (value == null && defaultValue != null) {
            throw new NullPointerException(name);
        }
        String problem = value == null ? null : rule.apply(value);
        if (problem != null) {
            String shown = value instanceof Duration d ? Durations.format(d) : String.valueOf(value);
            throw new IllegalArgumentException(name + " " + problem + ": " + shown);
        }
    }

    /**
     * Parses the given text into the builder.
     *
     * @return null when the value was set, else the problem in words, naming this parameter, echoing
     *         the text and giving the example
     */
    String applyTo(SpillwayConfig.Builder builder, String raw) {
        String shown = raw == null ? "" : raw;
        T value;
        try {
            value = parse.apply(shown);
        } catch (RuntimeException e) {
            return name + " value was set to '" + shown + "', which is not valid; example: " + name + "=" + example;
        }
        String problem = rule.apply(value);
        if (problem != null) {
            return problem(shown, problem);
        }
        setter.accept(builder, value);
        return null;
    }

    /** The message for a value that parses but breaks a rule: {@code maxParts must be at least 1: '0'; example: ...}. */
    String problem(String shown, String rule) {
        return name + " " + rule + ": '" + shown + "'; example: " + name + "=" + example;
    }

    /** The text a value parses from, as {@link ConfigParser} sees it. */
    T parse(String text) {
        return parse.apply(text);
    }

    /** {@code name=[value]}, the form of the start-up log line. */
    String describe(SpillwayConfig config) {
        return name + "=[" + format.apply(valueIn(config)) + "]";
    }

    @Override
    public String toString() {
        return name;
    }

    private Param<T> withExample(String otherExample) {
        return new Param<>(name, unit, defaultText, otherExample, parse, rule, setter, getter, format);
    }

    private static Param<Long> size(String name, String defaultText, long min,
                                    BiConsumer<SpillwayConfig.Builder, Long> setter,
                                    Function<SpillwayConfig, Long> getter) {
        return new Param<>(name, "size", defaultText, Sizes::parse, atLeast(min), setter, getter, Sizes::format);
    }

    private static Function<Long, String> atLeast(long min) {
        return v -> v < min ? "must be at least " + min : null;
    }

    private static Param<Double> ratio(String name, String defaultText, BiConsumer<SpillwayConfig.Builder, Double> setter,
                                       Function<SpillwayConfig, Double> getter) {
        return new Param<>(name, "ratio", defaultText, Param::ratio,
                v -> v > 0 && v <= 1 ? null : "must be greater than 0 and at most 1", setter, getter, String::valueOf);
    }

    private static Param<Duration> duration(String name, String defaultText, boolean zeroAllowed,
                                            BiConsumer<SpillwayConfig.Builder, Duration> setter,
                                            Function<SpillwayConfig, Duration> getter) {
        Function<Duration, String> rule = zeroAllowed
                ? v -> v.isNegative() ? "must not be negative" : null
                : v -> v.isNegative() || v.isZero() ? "must be longer than 0" : null;
        return new Param<>(name, "duration", defaultText, Durations::parse, rule, setter, getter, Durations::format);
    }

    private static Param<String> choice(String name, String defaultText, List<String> choices,
                                        BiConsumer<SpillwayConfig.Builder, String> setter,
                                        Function<SpillwayConfig, String> getter) {
        String unit = "`" + String.join("` or `", choices) + "`";
        String rule = "must be " + String.join(" or ", choices);
        return new Param<>(name, unit, defaultText, Param::lowerCase, v -> choices.contains(v) ? null : rule,
                setter, getter, String::valueOf);
    }

    private static Path path(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("blank");
        }
        try {
            return Path.of(text.trim());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static double ratio(String text) {
        if (!text.trim().matches("\\d*\\.?\\d+")) {
            throw new IllegalArgumentException("not a ratio");
        }
        return Double.parseDouble(text.trim());
    }

    private static String lowerCase(String text) {
        return text.trim().toLowerCase(Locale.ROOT);
    }

    private static String digestAlgorithm(String text) {
        String algorithm = text.trim();
        if (algorithm.isEmpty() || algorithm.equalsIgnoreCase("none")) {
            return null;
        }
        try {
            return MessageDigest.getInstance(algorithm).getAlgorithm();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest algorithm", e);
        }
    }

    private static boolean bool(String text) {
        return switch (lowerCase(text)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not true or false");
        };
    }
}
