package io.spillway.s3;

import io.spillway.core.storage.TempStorage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Mutual exclusion between servers for one upload, built only from what every S3-compatible store
 * offers: a strongly consistent {@code PUT} and {@code LIST}. s3proxy 2.6, for one, ignores
 * {@code If-Match} and {@code If-None-Match} on {@code PUT}, so conditional writes alone cannot
 * keep two servers apart there.
 *
 * <p>To enter, a server puts an entry with a random name under {@code lock/<id>/}, then lists that
 * prefix. It holds the lock when no other live entry is there; otherwise it removes its own entry,
 * waits a random moment and tries again. Two servers cannot both hold it: the later of the two
 * lists starts after both entries were written, so it sees the other. (Both may back off; they then
 * retry.) An entry older than the lease, measured against the timestamp the store gave the new entry,
 * belongs to a server that died inside the lock and is ignored and removed; the work done under the
 * lock (one small read and one small write) takes far less than the lease.
 */
final class StoreLock {

    /** How long an entry counts as held. */
    static final Duration LEASE = Duration.ofSeconds(30);

    private static final int ATTEMPTS = 12;
    private static final long FIRST_BACKOFF_MILLIS = 5;
    private static final long LONGEST_BACKOFF_MILLIS = 400;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /**
     * @param prefix the key prefix of lock entries, ending in {@code /}
     */
    StoreLock(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /** Work done while holding an upload's lock. */
    interface Locked<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} while holding the lock of {@code id}.
     *
     * @return what the work returned, or {@code busy} when the lock could not be had
     */
    <T> T withLock(String id, Locked<T> work, T busy) throws IOException {
        String entry = acquire(id);
        if (entry == null) {
            return busy;
        }
        try {
            return work.run();
        } finally {
            deleteQuietly(entry);
        }
    }

    /** The entries of every lock, for the sweeper: stale ones are removed with their upload. */
    String prefixOf(String id) {
        return prefix + id + "/";
    }

    private String acquire(String id) throws IOException {
        String directory = prefixOf(id);
        long backoff = FIRST_BACKOFF_MILLIS;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String mine = directory + TempStorage.newId();
            S3Errors.call("locking an upload", () -> s3.putObject(b -> b.bucket(bucket).key(mine).ifNoneMatch("*"),
                    RequestBody.empty()));
            if (onlyLiveEntry(directory, mine)) {
                return mine;
            }
            deleteQuietly(mine);
            sleep(ThreadLocalRandom.current().nextLong(backoff, 2 * backoff + 1));
            backoff = Math.min(LONGEST_BACKOFF_MILLIS, backoff * 2);
        }
        return null;
    }

    private boolean onlyLiveEntry(String directory, String mine) throws IOException {
        List<S3Object> entries = S3Errors.call("locking an upload", () -> s3.listObjectsV2Paginator(b -> b
                .bucket(bucket).prefix(directory)).contents().stream().filter(o -> !o.key().endsWith("/")).toList());
        Instant written = entries.stream().filter(o -> o.key().equals(mine)).map(S3Object::lastModified)
                .findFirst().orElse(null);
        if (written == null) {
            return false;
        }
        boolean alone = true;
        for (S3Object other : entries) {
            if (other.key().equals(mine)) {
                continue;
            }
            if (other.lastModified().plus(LEASE).isBefore(written)) {
                deleteQuietly(other.key());
            } else {
                alone = false;
            }
        }
        return alone;
    }

    private void deleteQuietly(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            System.getLogger(StoreLock.class.getName()).log(System.Logger.Level.WARNING,
                    "could not remove lock entry " + key + "; it expires after " + LEASE.toSeconds() + " s", e);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for an upload's lock");
        }
    }
}
