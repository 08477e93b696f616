package io.spillway.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

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

    /**
     * Checks every value with the rule of its {@link Param}.
     *
     * @throws NullPointerException     naming the field, when a value with a default is null
     * @throws IllegalArgumentException naming the field and the value, when a value breaks its rule
     */
    public SpillwayConfig {
        storageParameters = Map.copyOf(storageParameters);
        Param.TEMP_DIRECTORY.require(tempDirectory);
        Param.MAX_FILE_SIZE.require(maxFileSize);
        Param.MAX_REQUEST_SIZE.require(maxRequestSize);
        Param.MAX_PARTS.require(maxParts);
        Param.MAX_FIELD_SIZE.require(maxFieldSize);
        Param.MAX_PART_HEADER_SIZE.require(maxPartHeaderSize);
        Param.IN_MEMORY_THRESHOLD.require(inMemoryThreshold);
        Param.MEMORY_FRACTION.require(memoryFraction);
        Param.CRITICAL_HEAP_RATIO.require(criticalHeapRatio);
        Param.DISK_RESERVE.require(diskReserve);
        Param.UNKNOWN_LENGTH_BUFFER.require(unknownLengthBuffer);
        Param.MEMORY_PER_UPLOAD.require(memoryPerUpload);
        Param.PROBE_INTERVAL.require(probeInterval);
        Param.RETRY_AFTER.require(retryAfter);
        Param.UPLOAD_EXPIRY.require(uploadExpiry);
        Param.MIN_UPLOAD_RATE.require(minUploadRate);
        Param.MIN_RATE_WINDOW.require(minRateWindow);
        Param.PROGRESS_RETENTION.require(progressRetention);
        Param.DIGEST_ALGORITHM.require(digestAlgorithm);
        Param.PARSER.require(parser);
        Param.STALLED_UPLOAD_TIMEOUT.require(stalledUploadTimeout);
        Param.SHUTDOWN_TIMEOUT.require(shutdownTimeout);
        Param.STORAGE.require(storage);
        Param.STREAMED_STORAGE.require(streamedStorage);
        Param.NON_BLOCKING_INTAKE.require(nonBlockingIntake);
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

    /**
     * One line with every effective value, for the start-up log: {@code name=[value]} in
     * documentation order, the storage provider's parameters right after {@code storage}.
     */
    public String describe() {
        StringJoiner line = new StringJoiner(", ");
        for (Param<?> parameter : Param.ALL) {
            line.add(parameter.describe(this));
            if (parameter == Param.STORAGE) {
                new TreeMap<>(storageParameters).forEach((name, value) -> line.add(name + "=[" + value + "]"));
            }
        }
        return line.toString();
    }

    /** Mutable builder for {@link SpillwayConfig}; every field starts at its default. */
    public static final class Builder {
        private Path tempDirectory = Param.TEMP_DIRECTORY.defaultValue();
        private long maxFileSize = Param.MAX_FILE_SIZE.defaultValue();
        private long maxRequestSize = Param.MAX_REQUEST_SIZE.defaultValue();
        private int maxParts = Param.MAX_PARTS.defaultValue();
        private long maxFieldSize = Param.MAX_FIELD_SIZE.defaultValue();
        private int maxPartHeaderSize = Param.MAX_PART_HEADER_SIZE.defaultValue();
        private long inMemoryThreshold = Param.IN_MEMORY_THRESHOLD.defaultValue();
        private double memoryFraction = Param.MEMORY_FRACTION.defaultValue();
        private double criticalHeapRatio = Param.CRITICAL_HEAP_RATIO.defaultValue();
        private long diskReserve = Param.DISK_RESERVE.defaultValue();
        private long unknownLengthBuffer = Param.UNKNOWN_LENGTH_BUFFER.defaultValue();
        private Duration probeInterval = Param.PROBE_INTERVAL.defaultValue();
        private Duration retryAfter = Param.RETRY_AFTER.defaultValue();
        private Duration uploadExpiry = Param.UPLOAD_EXPIRY.defaultValue();
        private long minUploadRate = Param.MIN_UPLOAD_RATE.defaultValue();
        private Duration minRateWindow = Param.MIN_RATE_WINDOW.defaultValue();
        private Duration progressRetention = Param.PROGRESS_RETENTION.defaultValue();
        private String digestAlgorithm = Param.DIGEST_ALGORITHM.defaultValue();
        private String parser = Param.PARSER.defaultValue();
        private Duration stalledUploadTimeout = Param.STALLED_UPLOAD_TIMEOUT.defaultValue();
        private String storage = Param.STORAGE.defaultValue();
        private Map<String, String> storageParameters = Map.of();
        private Duration shutdownTimeout = Param.SHUTDOWN_TIMEOUT.defaultValue();
        private String streamedStorage = Param.STREAMED_STORAGE.defaultValue();
        private long memoryPerUpload = Param.MEMORY_PER_UPLOAD.defaultValue();
        private boolean nonBlockingIntake = Param.NON_BLOCKING_INTAKE.defaultValue();

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
