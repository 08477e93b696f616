package io.spillway.s3;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.Sizes;
import io.spillway.core.memory.MemoryBudget.Reservation;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.threads.SpillwayThreads;
import io.spillway.core.upload.BufferReservations;
import io.spillway.core.upload.DiskGuard;
import io.spillway.core.upload.PartContent;
import io.spillway.core.upload.SpillTarget;
import io.spillway.core.upload.SpillWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code streamedStorage=store} with {@code storage=s3}: the parts of single-request uploads on the
 * streamed route go straight into the bucket, under {@code <prefix>parts/<random id>}, instead of
 * the local temp directory.
 *
 * <p>Each spilled part fills one buffer of {@code s3PartSize} bytes, reserved from the filter's
 * memory budget before it is allocated (no reservation: 503, retry later, rather than an unbounded
 * buffer). A part that fits in one buffer is stored with one {@code PutObject}; a larger one
 * becomes a multipart upload, one {@code UploadPart} per full buffer, assembled with
 * {@code CompleteMultipartUpload} when the part ends. A part that fails or is abandoned (client gone,
 * limit exceeded) aborts its multipart upload, so nothing is left in the bucket.
 *
 * <p>A server that dies mid-upload can leave an incomplete multipart upload or an object that no
 * request owns: every server removes such leftovers under {@code parts/} once they are older than
 * {@link #ORPHAN_AGE} (at start and every hour).
 */
final class S3SpillTarget implements SpillTarget {

    static final String PARTS = "parts/";
    /** Age after which an object or multipart upload under {@code parts/} is a leftover. */
    static final Duration ORPHAN_AGE = Duration.ofHours(24);
    /** The largest part buffer: one is held in memory per streamed part. */
    static final long MAX_BUFFER = 1L << 30;

    private static final System.Logger LOG = System.getLogger(S3SpillTarget.class.getName());
    private static final int MAX_PARTS = 10_000;
    private static final int FIRST_BUFFER = 256 * 1024;
    private static final long SWEEP_EVERY_MINUTES = 60;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final int bufferSize;
    private final BufferReservations reservations;
    private ScheduledExecutorService sweeper;

    S3SpillTarget(S3Client s3, String bucket, String prefix, long partSize, BufferReservations reservations) {
        if (partSize < S3Settings.MIN_PART_SIZE || partSize > MAX_BUFFER) {
            throw new IllegalArgumentException("part buffer must be between 5 MiB and 1 GiB: " + partSize);
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.bufferSize = (int) partSize;
        this.reservations = reservations;
    }

    /**
     * Opens the target: builds the client (credentials from the SDK's default chain), checks that
     * the bucket answers and starts the leftover sweeper.
     *
     * @throws UploadRejectedException 503 when the bucket cannot be reached
     */
    static S3SpillTarget open(S3Settings settings, BufferReservations reservations) throws IOException {
        if (settings.partSize() > MAX_BUFFER) {
            throw new IOException(S3Settings.PART_SIZE + " must be at most 1GiB with streamedStorage=store (each "
                    + "streamed part holds one part buffer in memory): " + Sizes.format(settings.partSize()));
        }
        S3Client client = S3ResumableStore.client(settings);
        try {
            S3Errors.call("checking bucket " + settings.bucket(),
                    () -> client.headBucket(b -> b.bucket(settings.bucket())));
            S3SpillTarget target = new S3SpillTarget(client, settings.bucket(), settings.prefix(),
                    settings.partSize(), reservations);
            target.startSweeping();
            return target;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    @Override
    public SpillWriter open(DiskGuard diskGuard) {
        return new Writer(prefix + PARTS + TempStorage.newId());
    }

    /** Spilled parts use no local disk. */
    @Override
    public long usableSpace() {
        return Long.MAX_VALUE;
    }

    /** Stops the sweeper and closes the client; a sweep in progress is cut off with it. */
    @Override
    public synchronized void close() {
        ScheduledExecutorService running = sweeper;
        sweeper = null;
        if (running != null) {
            running.shutdownNow();
        }
        s3.close();
        if (running != null) {
            try {
                running.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Deletes the objects and aborts the multipart uploads under {@code parts/} that are older than
     * {@link #ORPHAN_AGE} at {@code now}.
     *
     * @return how many were removed
     */
    int sweep(Instant now) throws IOException {
        Instant before = now.minus(ORPHAN_AGE);
        int removed = 0;
        for (MultipartUpload upload : S3Errors.call("listing leftover parts", () -> s3
                .listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix + PARTS)).uploads().stream()
                .filter(u -> u.initiated().isBefore(before)).toList())) {
            abortQuietly(upload.key(), upload.uploadId());
            removed++;
        }
        for (S3Object object : S3Errors.call("listing leftover parts", () -> s3.listObjectsV2Paginator(b -> b
                .bucket(bucket).prefix(prefix + PARTS)).contents().stream()
                .filter(o -> !o.key().endsWith("/") && o.lastModified().isBefore(before)).toList())) {
            deleteQuietly(object.key());
            removed++;
        }
        return removed;
    }

    private synchronized void startSweeping() {
        sweeper = SpillwayThreads.unscoped().scheduler("s3-part-sweeper");
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                sweep(Instant.now());
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "sweeping leftover streamed parts failed", e);
            }
        }, 0, SWEEP_EVERY_MINUTES, TimeUnit.MINUTES);
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            if (!S3Errors.isMissing(e)) {
                LOG.log(System.Logger.Level.WARNING, "could not abort the multipart upload of " + key
                        + "; the sweeper retries after " + ORPHAN_AGE.toHours() + " h", e);
            }
        }
    }

    private void deleteQuietly(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete " + key + "; the sweeper retries after "
                    + ORPHAN_AGE.toHours() + " h", e);
        }
    }

    /**
     * One part on its way into the bucket: a buffer under a budget reservation, sent as one object
     * or as the parts of a multipart upload.
     */
    private final class Writer implements SpillWriter {
        private final String key;
        private final List<CompletedPart> parts = new ArrayList<>();
        private Reservation reservation;
        private byte[] buffer;
        private int filled;
        private long size;
        private String uploadId;
        private boolean sent;
        private boolean finished;

        Writer(String key) {
            this.key = key;
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            if (length > 0 && reservation == null) {
                reserve();
            }
            while (length > 0) {
                if (filled == bufferSize) {
                    sendPart();
                }
                int n = Math.min(length, bufferSize - filled);
                ensureCapacity(filled + n);
                System.arraycopy(data, offset, buffer, filled, n);
                filled += n;
                offset += n;
                length -= n;
                size += n;
            }
        }

        @Override
        public PartContent finish() throws IOException {
            if (uploadId == null) {
                byte[] body = buffer == null ? new byte[0] : buffer;
                int length = filled;
                sent = true;
                S3Errors.call("storing a part", () -> s3.putObject(b -> b.bucket(bucket).key(key)
                        .contentLength((long) length), RequestBody.fromContentProvider(
                        () -> new ByteArrayInputStream(body, 0, length), length, "application/octet-stream")));
            } else {
                if (filled > 0) {
                    sendPart();
                }
                S3Errors.call("completing a part", () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key)
                        .uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
            }
            dropBuffer();
            finished = true;
            return PartContent.ofStored(new S3StoredObject(s3, bucket, key), size);
        }

        @Override
        public void close() {
            if (finished) {
                return;
            }
            finished = true;
            dropBuffer();
            if (uploadId != null) {
                abortQuietly(key, uploadId);
            }
            if (sent) {
                deleteQuietly(key);
            }
        }

        private void reserve() throws UploadRejectedException {
            reservation = reservations.tryReserve(bufferSize).orElseThrow(() -> new UploadRejectedException(503,
                    "memory budget exhausted: no room for a " + Sizes.format(bufferSize)
                            + " object store part buffer; retry later"));
        }

        private void ensureCapacity(int needed) {
            if (buffer != null && buffer.length >= needed) {
                return;
            }
            int capacity = buffer == null ? Math.min(FIRST_BUFFER, bufferSize) : buffer.length;
            while (capacity < needed) {
                capacity = (int) Math.min(bufferSize, 2L * capacity);
            }
            buffer = buffer == null ? new byte[capacity] : Arrays.copyOf(buffer, capacity);
        }

        private void sendPart() throws IOException {
            if (uploadId == null) {
                sent = true;
                uploadId = S3Errors.call("starting a multipart upload", () -> s3.createMultipartUpload(b -> b
                        .bucket(bucket).key(key)).uploadId());
            }
            int number = parts.size() + 1;
            if (number > MAX_PARTS) {
                throw UploadRejectedException.tooLarge("file exceeds " + MAX_PARTS + " parts of "
                        + Sizes.format(bufferSize) + " in the object store (s3PartSize)");
            }
            byte[] body = buffer;
            int length = filled;
            String etag = S3Errors.call("storing a part", () -> s3.uploadPart(b -> b.bucket(bucket).key(key)
                    .uploadId(uploadId).partNumber(number).contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(body, 0, length), length,
                            "application/octet-stream")).eTag());
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            filled = 0;
        }

        private void dropBuffer() {
            buffer = null;
            if (reservation != null) {
                reservation.close();
            }
        }
    }
}
