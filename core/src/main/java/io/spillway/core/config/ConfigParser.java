package io.spillway.core.config;

import io.spillway.core.storage.ResumableStoreProvider;
import io.spillway.core.storage.ResumableStores;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Turns {@code name=value} strings (a filter's init-params) into a {@link SpillwayConfig}.
 *
 * <p>Every problem is collected before anything is thrown, so a user fixes a {@code web.xml}
 * once: unknown names, malformed values and values out of range are all reported together in
 * one {@link InvalidConfigException}, each naming the parameter, echoing the value and showing a
 * good example. Nothing is silently corrected.
 */
public final class ConfigParser {

    /** Init-param names, as users type them into {@code web.xml}. */
    public static final String TEMP_DIRECTORY = "tempDirectory";
    public static final String MAX_FILE_SIZE = "maxFileSize";
    public static final String MAX_REQUEST_SIZE = "maxRequestSize";
    public static final String MAX_PARTS = "maxParts";
    public static final String MAX_FIELD_SIZE = "maxFieldSize";
    public static final String MAX_PART_HEADER_SIZE = "maxPartHeaderSize";
    public static final String IN_MEMORY_THRESHOLD = "inMemoryThreshold";
    public static final String MEMORY_FRACTION = "memoryFraction";
    public static final String CRITICAL_HEAP_RATIO = "criticalHeapRatio";
    public static final String DISK_RESERVE = "diskReserve";
    public static final String UNKNOWN_LENGTH_BUFFER = "unknownLengthBuffer";
    public static final String MEMORY_PER_UPLOAD = "memoryPerUpload";
    public static final String PROBE_INTERVAL = "probeInterval";
    public static final String RETRY_AFTER = "retryAfter";
    public static final String UPLOAD_EXPIRY = "uploadExpiry";
    public static final String MIN_UPLOAD_RATE = "minUploadRate";
    public static final String MIN_RATE_WINDOW = "minRateWindow";
    public static final String PROGRESS_RETENTION = "progressRetention";
    public static final String DIGEST_ALGORITHM = "digestAlgorithm";
    public static final String PARSER = "parser";
    public static final String STALLED_UPLOAD_TIMEOUT = "stalledUploadTimeout";
    public static final String SHUTDOWN_TIMEOUT = "shutdownTimeout";
    public static final String STORAGE = "storage";
    public static final String STREAMED_STORAGE = "streamedStorage";
    public static final String NON_BLOCKING_INTAKE = "nonBlockingIntake";

    private final Map<String, Parameter<?>> parameters = new LinkedHashMap<>();
    private final Map<String, ResumableStoreProvider> providers;

    /** A parser that knows the storage providers on core's class path. */
    public ConfigParser() {
        this(ResumableStores.providers());
    }

    /**
     * A parser that knows the given storage providers and their init-params.
     *
     * @param providers by {@link ResumableStoreProvider#name()}
     */
    public ConfigParser(Map<String, ResumableStoreProvider> providers) {
        this.providers = Map.copyOf(providers);
        path(TEMP_DIRECTORY, SpillwayConfig.Builder::tempDirectory);
        size(MAX_FILE_SIZE, "4GB", 1, SpillwayConfig.Builder::maxFileSize);
        size(MAX_REQUEST_SIZE, "4GB", 1, SpillwayConfig.Builder::maxRequestSize);
        integer(MAX_PARTS, "50", SpillwayConfig.Builder::maxParts);
        size(MAX_FIELD_SIZE, "1MB", 0, SpillwayConfig.Builder::maxFieldSize);
        define(MAX_PART_HEADER_SIZE, "4KB", Sizes::parse, v -> v < 64 || v > (1 << 20)
                ? "must be between 64 and 1MB" : null, (b, v) -> b.maxPartHeaderSize((int) (long) v));
        size(IN_MEMORY_THRESHOLD, "10MB", 0, SpillwayConfig.Builder::inMemoryThreshold);
        ratio(MEMORY_FRACTION, "0.5", SpillwayConfig.Builder::memoryFraction);
        ratio(CRITICAL_HEAP_RATIO, "0.9", SpillwayConfig.Builder::criticalHeapRatio);
        size(DISK_RESERVE, "512MB", 0, SpillwayConfig.Builder::diskReserve);
        size(UNKNOWN_LENGTH_BUFFER, "1MB", 0, SpillwayConfig.Builder::unknownLengthBuffer);
        size(MEMORY_PER_UPLOAD, "256KB", 0, SpillwayConfig.Builder::memoryPerUpload);
        duration(PROBE_INTERVAL, "1s", false, SpillwayConfig.Builder::probeInterval);
        duration(RETRY_AFTER, "5s", true, SpillwayConfig.Builder::retryAfter);
        duration(UPLOAD_EXPIRY, "24h", false, SpillwayConfig.Builder::uploadExpiry);
        size(MIN_UPLOAD_RATE, "1KB", 0, SpillwayConfig.Builder::minUploadRate);
        duration(MIN_RATE_WINDOW, "20s", false, SpillwayConfig.Builder::minRateWindow);
        duration(PROGRESS_RETENTION, "5m", true, SpillwayConfig.Builder::progressRetention);
        define(DIGEST_ALGORITHM, "SHA-256", ConfigParser::digestAlgorithm, v -> null,
                SpillwayConfig.Builder::digestAlgorithm);
        define(PARSER, SpillwayConfig.PARSER_FAST, text -> text.trim().toLowerCase(java.util.Locale.ROOT),
                v -> v.equals(SpillwayConfig.PARSER_FAST) || v.equals(SpillwayConfig.PARSER_FILEUPLOAD2)
                        ? null : "must be " + SpillwayConfig.PARSER_FAST + " or " + SpillwayConfig.PARSER_FILEUPLOAD2,
                SpillwayConfig.Builder::parser);
        duration(STALLED_UPLOAD_TIMEOUT, "10s", false, SpillwayConfig.Builder::stalledUploadTimeout);
        duration(SHUTDOWN_TIMEOUT, "10s", true, SpillwayConfig.Builder::shutdownTimeout);
        define(STORAGE, SpillwayConfig.STORAGE_LOCAL, text -> text.trim().toLowerCase(java.util.Locale.ROOT),
                v -> v.equals(SpillwayConfig.STORAGE_LOCAL) || this.providers.containsKey(v) ? null
                        : "must be " + String.join(" or ", storageNames()) + storageHint(v),
                SpillwayConfig.Builder::storage);
        define(STREAMED_STORAGE, SpillwayConfig.STREAMED_STORAGE_LOCAL,
                text -> text.trim().toLowerCase(java.util.Locale.ROOT),
                v -> v.equals(SpillwayConfig.STREAMED_STORAGE_LOCAL) || v.equals(SpillwayConfig.STREAMED_STORAGE_STORE)
                        ? null : "must be " + SpillwayConfig.STREAMED_STORAGE_LOCAL + " or "
                        + SpillwayConfig.STREAMED_STORAGE_STORE,
                SpillwayConfig.Builder::streamedStorage);
        define(NON_BLOCKING_INTAKE, "true", ConfigParser::bool, v -> null, SpillwayConfig.Builder::nonBlockingIntake);
    }

    /** The names this parser understands, in documentation order, then the storage providers' names. */
    public Set<String> names() {
        Set<String> names = new java.util.LinkedHashSet<>(parameters.keySet());
        providers.values().forEach(provider -> names.addAll(new TreeSet<>(provider.parameterNames())));
        return Collections.unmodifiableSet(names);
    }

    /**
     * Parses the given values over the defaults. When {@code maxFileSize} is not given, it follows a
     * smaller {@code maxRequestSize} down (no file can be larger than the request that carries it).
     *
     * @param values    parameter name to raw value; names in {@code ignored} are skipped
     * @param ignored   names that belong to another component (for example the filter's own switches)
     * @throws InvalidConfigException listing every problem, when there is at least one
     */
    public SpillwayConfig parse(Map<String, String> values, Set<String> ignored) {
        SpillwayConfig.Builder builder = SpillwayConfig.custom();
        List<String> problems = new ArrayList<>();
        Map<String, String> storageParameters = new LinkedHashMap<>();
        Set<String> applied = new HashSet<>();
        Set<String> malformed = new HashSet<>();
        for (String name : new TreeSet<>(values.keySet())) {
            if (ignored.contains(name)) {
                continue;
            }
            Parameter<?> parameter = parameters.get(name);
            if (parameter == null && claimedByProvider(name)) {
                storageParameters.put(name, values.get(name));
                continue;
            }
            if (parameter == null) {
                problems.add("unknown parameter " + name + "; known parameters are " + String.join(", ", names()));
                continue;
            }
            String problem = parameter.apply(builder, values.get(name));
            if (problem != null) {
                problems.add(problem);
                malformed.add(name);
            } else {
                applied.add(name);
            }
        }
        SpillwayConfig config = builder.storageParameters(storageParameters).build();
        if (!applied.contains(MAX_FILE_SIZE) && config.maxFileSize() > config.maxRequestSize()) {
            config = config.toBuilder().maxFileSize(config.maxRequestSize()).build();
        }
        if (!malformed.contains(MAX_FILE_SIZE) && !malformed.contains(MAX_REQUEST_SIZE)) {
            checkConsistency(config, problems);
        }
        checkStorage(config, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return config;
    }

    /** Parses the given values over the defaults; every name must be known. */
    public SpillwayConfig parse(Map<String, String> values) {
        return parse(values, Set.of());
    }

    private static void checkConsistency(SpillwayConfig c, List<String> problems) {
        if (c.maxFileSize() > c.maxRequestSize()) {
            problems.add(MAX_FILE_SIZE + " must not exceed " + MAX_REQUEST_SIZE + ": "
                    + Sizes.format(c.maxFileSize()) + " > " + Sizes.format(c.maxRequestSize()));
        }
    }

    private boolean claimedByProvider(String name) {
        return providers.values().stream().anyMatch(provider -> provider.parameterNames().contains(name));
    }

    private void checkStorage(SpillwayConfig c, List<String> problems) {
        ResumableStoreProvider provider = providers.get(c.storage());
        for (String name : c.storageParameters().keySet()) {
            if (provider == null || !provider.parameterNames().contains(name)) {
                String owner = providers.values().stream().filter(p -> p.parameterNames().contains(name))
                        .map(ResumableStoreProvider::name).findFirst().orElse("?");
                problems.add(name + " applies only with " + STORAGE + "=" + owner + ", but " + STORAGE + " is "
                        + c.storage());
            }
        }
        if (provider != null) {
            problems.addAll(provider.check(c.storageParameters()));
        }
        if (SpillwayConfig.STREAMED_STORAGE_STORE.equals(c.streamedStorage())
                && SpillwayConfig.STORAGE_LOCAL.equals(c.storage())) {
            problems.add(STREAMED_STORAGE + "=" + SpillwayConfig.STREAMED_STORAGE_STORE
                    + " needs storage set to an object store, but storage is local; example: " + STORAGE + "=s3");
        }
    }

    private List<String> storageNames() {
        List<String> names = new ArrayList<>();
        names.add(SpillwayConfig.STORAGE_LOCAL);
        names.addAll(new TreeSet<>(providers.keySet()));
        return names;
    }

    private static String storageHint(String value) {
        return value.matches("[a-z0-9]+") ? " (storage=" + value + " needs spillway-" + value
                + ".jar on the class path)" : "";
    }

    private static String digestAlgorithm(String text) {
        String name = text.trim();
        if (name.isEmpty() || name.equalsIgnoreCase("none")) {
            return null;
        }
        try {
            return java.security.MessageDigest.getInstance(name).getAlgorithm();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest algorithm", e);
        }
    }

    private static boolean bool(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not true or false");
        };
    }

    private void path(String name, BiConsumer<SpillwayConfig.Builder, Path> setter) {
        define(name, "/var/tmp/spillway", text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("blank");
            }
            try {
                return Path.of(text.trim());
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }, v -> v.isAbsolute() ? null : "must be an absolute path", setter);
    }

    private void size(String name, String example, long min, BiConsumer<SpillwayConfig.Builder, Long> setter) {
        define(name, example, Sizes::parse, v -> v < min ? "must be at least " + min : null, setter);
    }

    private void integer(String name, String example, BiConsumer<SpillwayConfig.Builder, Integer> setter) {
        define(name, example, text -> Integer.parseInt(text.trim()), v -> v < 1 ? "must be at least 1" : null, setter);
    }

    private void ratio(String name, String example, BiConsumer<SpillwayConfig.Builder, Double> setter) {
        define(name, example, text -> {
            if (!text.trim().matches("\\d*\\.?\\d+")) {
                throw new IllegalArgumentException("not a ratio");
            }
            return Double.parseDouble(text.trim());
        }, v -> v <= 0 || v > 1 ? "must be greater than 0 and at most 1" : null, setter);
    }

    private void duration(String name, String example, boolean zeroAllowed,
                          BiConsumer<SpillwayConfig.Builder, Duration> setter) {
        define(name, example, Durations::parse,
                v -> !zeroAllowed && v.isZero() ? "must be longer than 0" : null, setter);
    }

    private <T> void define(String name, String example, Function<String, T> parse,
                            Function<T, String> validate, BiConsumer<SpillwayConfig.Builder, T> setter) {
        parameters.put(name, new Parameter<>(name, example, parse, validate, setter));
    }

    private record Parameter<T>(String name, String example, Function<String, T> parse,
                                Function<T, String> validate, BiConsumer<SpillwayConfig.Builder, T> setter) {

        String apply(SpillwayConfig.Builder builder, String raw) {
            String shown = raw == null ? "" : raw;
            T value;
            try {
                value = parse.apply(shown);
            } catch (RuntimeException e) {
                return name + " value was set to '" + shown + "', which is not valid; example: " + name + "=" + example;
            }
            String problem = validate.apply(value);
            if (problem != null) {
                return name + " " + problem + ": '" + shown + "'; example: " + name + "=" + example;
            }
            setter.accept(builder, value);
            return null;
        }
    }
}
