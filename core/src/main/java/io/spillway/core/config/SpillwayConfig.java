package io.spillway.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The effective, immutable configuration of one Spillway filter. Built once from init-params by
 * {@link ConfigParser}, or in code with {@link #custom()}. Every value is range-checked here too,
 * with the same limits as the parser's, so a configuration built in code cannot hold a negative
 * size or a zero probe interval ({@link IllegalArgumentException} naming the field).
 *
 * @param tempDirectory      where streamed parts and resumable chunks live; {@code null} means
 *                           "the container's temp dir + {@code /spillway}", resolved by the filter
 * @param maxFileSize        largest single file, counted on real bytes
 * @param maxRequestSize     largest request body, counted on real bytes
 * @param maxParts           most parts in one request, nested ones counted
 * @param maxFieldSize       largest non-file form field
 * @param maxPartHeaderSize  largest header block of one part
 * @param inMemoryThreshold  an upload larger than this is never buffered
 * @param memoryFraction     share of available memory that buffered uploads may hold together
 * @param criticalHeapRatio  heap usage above which nothing is buffered and health says 503
 * @param diskReserve        free disk space that uploads may never consume
 * @param unknownLengthBuffer memory an upload of unknown length may use before it spills to disk
 * @param probeInterval      how often memory is sampled at most
 * @param retryAfter         the {@code Retry-After} sent with 503
 * @param uploadExpiry       time after which an abandoned resumable upload is deleted
 * @param minUploadRate      bytes per second below which a body is considered a slow drip
 * @param minRateWindow      how long a body may stay below {@code minUploadRate} before it is cut off
 * @param progressRetention  how long the progress of a finished upload stays readable
 * @param digestAlgorithm    a {@link java.security.MessageDigest} algorithm computed over every stored
 *                           file while it is written (for example {@code SHA-256}), or null for none
 * @param parser             the multipart parser: {@link #PARSER_FAST} or {@link #PARSER_FILEUPLOAD2}
 * @param stalledUploadTimeout how long a resumable upload's writer may receive nothing before a
 *                           new request for the same upload takes over (the stalled one is released)
 * @param storage            where resumable uploads are kept: {@link #STORAGE_LOCAL} (the temp directory)
 *                           or the name of a {@link io.spillway.core.storage.ResumableStoreProvider}
 *                           on the class path, such as {@code s3}
 * @param storageParameters  the init-params of that provider (for example {@code s3Bucket}), by name
 * @param shutdownTimeout    how long {@code destroy()} waits for uploads in flight before it aborts them
 * @param streamedStorage    where the parts of single-request uploads on the streamed route go:
 *                           {@link #STREAMED_STORAGE_LOCAL} (temp files) or {@link #STREAMED_STORAGE_STORE}
 *                           (straight into the object store named by {@code storage})
 * @param memoryPerUpload    heap one upload in flight costs besides the bytes it buffers (its
 *                           parser and file buffers, the container's connection): uploads in flight
 *                           times this must fit within {@code memoryFraction} of available memory
 *                           (besides the buffer budget), or a new upload gets 503;
 *                           0 turns admission by count off
 * @param nonBlockingIntake  whether the body of a streamed upload is read with the Servlet
 *                           {@code ReadListener} (no container thread held while it arrives) and
 *                           the application is dispatched to once every byte is stored
 */
public record SpillwayConfig(
        Path tempDirectory,
        long maxFileSize,
        long maxRequestSize,
        int maxParts,
        long maxFieldSize,
        int maxPartHeaderSize,
        long inMemoryThreshold,
        double memoryFraction,
        double criticalHeapRatio,
        long diskReserve,
        long unknownLengthBuffer,
        Duration probeInterval,
        Duration retryAfter,
        Duration uploadExpiry,
        long minUploadRate,
        Duration minRateWindow,
        Duration progressRetention,
        String digestAlgorithm,
        String parser,
        Duration stalledUploadTimeout,
        String storage,
        Map<String, String> storageParameters,
        Duration shutdownTimeout,
        String streamedStorage,
        long memoryPerUpload,
        boolean nonBlockingIntake) {

    public static final String PARSER_FAST = "fast";
    public static final String PARSER_FILEUPLOAD2 = "fileupload2";
    public static final String STORAGE_LOCAL = "local";
    public static final String STREAMED_STORAGE_LOCAL = "local";
    public static final String STREAMED_STORAGE_STORE = "store";

    public static final long DEFAULT_MAX_FILE_SIZE = 8L << 30;
    public static final long DEFAULT_MAX_REQUEST_SIZE = 8L << 30;
    public static final int DEFAULT_MAX_PARTS = 50;
    public static final long DEFAULT_MAX_FIELD_SIZE = 1L << 20;
    public static final int DEFAULT_MAX_PART_HEADER_SIZE = 4 << 10;
    public static final long DEFAULT_IN_MEMORY_THRESHOLD = 10L << 20;
    public static final double DEFAULT_MEMORY_FRACTION = 0.5;
    public static final double DEFAULT_CRITICAL_HEAP_RATIO = 0.9;
    public static final long DEFAULT_DISK_RESERVE = 512L << 20;
    public static final long DEFAULT_UNKNOWN_LENGTH_BUFFER = 1L << 20;
    /** Measured by benchmarks/ SlowUploadsBenchmark: heap after GC per streamed upload in flight. */
    public static final long DEFAULT_MEMORY_PER_UPLOAD = 256L << 10;
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    public static final Duration DEFAULT_UPLOAD_EXPIRY = Duration.ofHours(24);
    public static final long DEFAULT_MIN_UPLOAD_RATE = 1L << 10;
    public static final Duration DEFAULT_MIN_RATE_WINDOW = Duration.ofSeconds(20);
    public static final Duration DEFAULT_PROGRESS_RETENTION = Duration.ofMinutes(5);
    public static final String DEFAULT_PARSER = PARSER_FAST;
    public static final Duration DEFAULT_STALLED_UPLOAD_TIMEOUT = Duration.ofSeconds(10);
    public static final String DEFAULT_STORAGE = STORAGE_LOCAL;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    public static final String DEFAULT_STREAMED_STORAGE = STREAMED_STORAGE_LOCAL;
    public static final boolean DEFAULT_NON_BLOCKING_INTAKE = false;

    public SpillwayConfig {
        Objects.requireNonNull(probeInterval, "probeInterval");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(uploadExpiry, "uploadExpiry");
        Objects.requireNonNull(minRateWindow, "minRateWindow");
        Objects.requireNonNull(progressRetention, "progressRetention");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(stalledUploadTimeout, "stalledUploadTimeout");
        Objects.requireNonNull(storage, "storage");
        storageParameters = Map.copyOf(storageParameters);
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(streamedStorage, "streamedStorage");
        atLeast("maxFileSize", maxFileSize, 1);
        atLeast("maxRequestSize", maxRequestSize, 1);
        atLeast("maxParts", maxParts, 1);
        atLeast("maxFieldSize", maxFieldSize, 0);
        atLeast("maxPartHeaderSize", maxPartHeaderSize, 64);
        atLeast("inMemoryThreshold", inMemoryThreshold, 0);
        atLeast("diskReserve", diskReserve, 0);
        atLeast("unknownLengthBuffer", unknownLengthBuffer, 0);
        atLeast("memoryPerUpload", memoryPerUpload, 0);
        atLeast("minUploadRate", minUploadRate, 0);
        ratio("memoryFraction", memoryFraction);
        ratio("criticalHeapRatio", criticalHeapRatio);
        positive("probeInterval", probeInterval);
        positive("uploadExpiry", uploadExpiry);
        positive("minRateWindow", minRateWindow);
        positive("stalledUploadTimeout", stalledUploadTimeout);
        notNegative("retryAfter", retryAfter);
        notNegative("progressRetention", progressRetention);
        notNegative("shutdownTimeout", shutdownTimeout);
    }

    private static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
        }
    }

    private static void ratio(String name, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be greater than 0 and at most 1: " + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be longer than 0: " + Durations.format(value));
        }
    }

    private static void notNegative(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + Durations.format(value));
        }
    }

    /** The defaults, as documented in the README. */
    public static SpillwayConfig ofDefaults() {
        return custom().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.tempDirectory = tempDirectory;
        b.maxFileSize = maxFileSize;
        b.maxRequestSize = maxRequestSize;
        b.maxParts = maxParts;
        b.maxFieldSize = maxFieldSize;
        b.maxPartHeaderSize = maxPartHeaderSize;
        b.inMemoryThreshold = inMemoryThreshold;
        b.memoryFraction = memoryFraction;
        b.criticalHeapRatio = criticalHeapRatio;
        b.diskReserve = diskReserve;
        b.unknownLengthBuffer = unknownLengthBuffer;
        b.probeInterval = probeInterval;
        b.retryAfter = retryAfter;
        b.uploadExpiry = uploadExpiry;
        b.minUploadRate = minUploadRate;
        b.minRateWindow = minRateWindow;
        b.progressRetention = progressRetention;
        b.digestAlgorithm = digestAlgorithm;
        b.parser = parser;
        b.stalledUploadTimeout = stalledUploadTimeout;
        b.storage = storage;
        b.storageParameters = storageParameters;
        b.shutdownTimeout = shutdownTimeout;
        b.streamedStorage = streamedStorage;
        b.memoryPerUpload = memoryPerUpload;
        b.nonBlockingIntake = nonBlockingIntake;
        return b;
    }

    /** One line with every effective value, for the start-up log. */
    public String describe() {
        return "tempDirectory=[" + tempDirectory + "], maxFileSize=[" + Sizes.format(maxFileSize)
                + "], maxRequestSize=[" + Sizes.format(maxRequestSize) + "], maxParts=[" + maxParts
                + "], maxFieldSize=[" + Sizes.format(maxFieldSize) + "], maxPartHeaderSize=[" + maxPartHeaderSize
                + "], inMemoryThreshold=[" + Sizes.format(inMemoryThreshold) + "], memoryFraction=[" + memoryFraction
                + "], criticalHeapRatio=[" + criticalHeapRatio + "], diskReserve=[" + Sizes.format(diskReserve)
                + "], unknownLengthBuffer=[" + Sizes.format(unknownLengthBuffer)
                + "], probeInterval=[" + Durations.format(probeInterval) + "], retryAfter=[" + Durations.format(retryAfter)
                + "], uploadExpiry=[" + Durations.format(uploadExpiry) + "], minUploadRate=[" + Sizes.format(minUploadRate)
                + "/s], minRateWindow=[" + Durations.format(minRateWindow)
                + "], progressRetention=[" + Durations.format(progressRetention)
                + "], digestAlgorithm=[" + (digestAlgorithm == null ? "none" : digestAlgorithm)
                + "], parser=[" + parser
                + "], stalledUploadTimeout=[" + Durations.format(stalledUploadTimeout)
                + "], shutdownTimeout=[" + Durations.format(shutdownTimeout)
                + "], storage=[" + storage + "]" + describeStorageParameters()
                + ", streamedStorage=[" + streamedStorage + "], memoryPerUpload=[" + Sizes.format(memoryPerUpload)
                + "], nonBlockingIntake=[" + nonBlockingIntake + "]";
    }

    private String describeStorageParameters() {
        StringBuilder out = new StringBuilder();
        new java.util.TreeMap<>(storageParameters).forEach((name, value) ->
                out.append(", ").append(name).append("=[").append(value).append(']'));
        return out.toString();
    }

    /** Mutable builder for {@link SpillwayConfig}; every field starts at its default. */
    public static final class Builder {
        private Path tempDirectory;
        private long maxFileSize = DEFAULT_MAX_FILE_SIZE;
        private long maxRequestSize = DEFAULT_MAX_REQUEST_SIZE;
        private int maxParts = DEFAULT_MAX_PARTS;
        private long maxFieldSize = DEFAULT_MAX_FIELD_SIZE;
        private int maxPartHeaderSize = DEFAULT_MAX_PART_HEADER_SIZE;
        private long inMemoryThreshold = DEFAULT_IN_MEMORY_THRESHOLD;
        private double memoryFraction = DEFAULT_MEMORY_FRACTION;
        private double criticalHeapRatio = DEFAULT_CRITICAL_HEAP_RATIO;
        private long diskReserve = DEFAULT_DISK_RESERVE;
        private long unknownLengthBuffer = DEFAULT_UNKNOWN_LENGTH_BUFFER;
        private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private Duration uploadExpiry = DEFAULT_UPLOAD_EXPIRY;
        private long minUploadRate = DEFAULT_MIN_UPLOAD_RATE;
        private Duration minRateWindow = DEFAULT_MIN_RATE_WINDOW;
        private Duration progressRetention = DEFAULT_PROGRESS_RETENTION;
        private String digestAlgorithm;
        private String parser = DEFAULT_PARSER;
        private Duration stalledUploadTimeout = DEFAULT_STALLED_UPLOAD_TIMEOUT;
        private String storage = DEFAULT_STORAGE;
        private Map<String, String> storageParameters = Map.of();
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private String streamedStorage = DEFAULT_STREAMED_STORAGE;
        private long memoryPerUpload = DEFAULT_MEMORY_PER_UPLOAD;
        private boolean nonBlockingIntake = DEFAULT_NON_BLOCKING_INTAKE;

        private Builder() {
        }

        public Builder tempDirectory(Path v) { tempDirectory = v; return this; }
        public Builder maxFileSize(long v) { maxFileSize = v; return this; }
        public Builder maxRequestSize(long v) { maxRequestSize = v; return this; }
        public Builder maxParts(int v) { maxParts = v; return this; }
        public Builder maxFieldSize(long v) { maxFieldSize = v; return this; }
        public Builder maxPartHeaderSize(int v) { maxPartHeaderSize = v; return this; }
        public Builder inMemoryThreshold(long v) { inMemoryThreshold = v; return this; }
        public Builder memoryFraction(double v) { memoryFraction = v; return this; }
        public Builder criticalHeapRatio(double v) { criticalHeapRatio = v; return this; }
        public Builder diskReserve(long v) { diskReserve = v; return this; }
        public Builder unknownLengthBuffer(long v) { unknownLengthBuffer = v; return this; }
        public Builder probeInterval(Duration v) { probeInterval = v; return this; }
        public Builder retryAfter(Duration v) { retryAfter = v; return this; }
        public Builder uploadExpiry(Duration v) { uploadExpiry = v; return this; }
        public Builder minUploadRate(long v) { minUploadRate = v; return this; }
        public Builder minRateWindow(Duration v) { minRateWindow = v; return this; }
        public Builder progressRetention(Duration v) { progressRetention = v; return this; }
        public Builder digestAlgorithm(String v) { digestAlgorithm = v; return this; }
        public Builder parser(String v) { parser = v; return this; }
        public Builder stalledUploadTimeout(Duration v) { stalledUploadTimeout = v; return this; }
        public Builder storage(String v) { storage = v; return this; }
        public Builder storageParameters(Map<String, String> v) { storageParameters = v; return this; }
        public Builder shutdownTimeout(Duration v) { shutdownTimeout = v; return this; }
        public Builder streamedStorage(String v) { streamedStorage = v; return this; }
        public Builder memoryPerUpload(long v) { memoryPerUpload = v; return this; }
        public Builder nonBlockingIntake(boolean v) { nonBlockingIntake = v; return this; }

        public SpillwayConfig build() {
            return new SpillwayConfig(tempDirectory, maxFileSize, maxRequestSize, maxParts, maxFieldSize,
                    maxPartHeaderSize, inMemoryThreshold, memoryFraction, criticalHeapRatio, diskReserve,
                    unknownLengthBuffer, probeInterval, retryAfter, uploadExpiry, minUploadRate, minRateWindow,
                    progressRetention, digestAlgorithm, parser, stalledUploadTimeout, storage,
                    storageParameters, shutdownTimeout, streamedStorage, memoryPerUpload, nonBlockingIntake);
        }
    }
}
