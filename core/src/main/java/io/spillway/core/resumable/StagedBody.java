package io.spillway.core.resumable;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.storage.BoundedInputStream;
import io.spillway.core.storage.TempStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The body of one chunk request, copied into a private staging file before anything about the
 * upload changes. Staging makes every check possible before commit (body length, checksum, equal
 * bytes on overlap, a writer that was taken over) and makes a failed request leave nothing: the
 * staging file is deleted on {@link #close}.
 *
 * <p>Reading stops after {@code limit + 1} bytes, so a body longer than allowed is detected
 * without reading it to the end. A failure while reading the request (client abort, timeout) is
 * kept as {@link #interruption()}: what arrived before it stays staged, for protocols that keep
 * partial bytes (tus). So is a stop that a later request for the same upload asked for (lock
 * release, see {@link WriterLeases}): reading ends after the current buffer and the body is
 * {@link #superseded()}.
 */
final class StagedBody implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final long length;
    private final boolean overflowed;
    private final IOException interruption;
    private final byte[] digest;
    private final boolean superseded;

    private StagedBody(Path file, long length, boolean overflowed, IOException interruption, byte[] digest,
                       boolean superseded) {
        this.file = file;
        this.superseded = superseded;
        this.length = length;
        this.overflowed = overflowed;
        this.interruption = interruption;
        this.digest = digest;
    }

    /**
     * Copies the body into a new staging file.
     *
     * @param digestAlgorithm a JCA digest name to compute while copying, or null
     * @param onProgress      called after every buffer that arrived
     * @param stop            asked after every read: whether to stop reading (a later request took over)
     * @throws UploadRejectedException 507 when the staging file cannot be written
     */
    static StagedBody stage(TempStorage staging, InputStream body, long limit, String digestAlgorithm,
                            Runnable onProgress, BooleanSupplier stop) throws UploadRejectedException {
        MessageDigest md = digestAlgorithm == null ? null : digest(digestAlgorithm);
        Path file;
        try {
            file = staging.createFile(".chunk");
        } catch (IOException e) {
            throw new UploadRejectedException(507, "could not store the upload", e);
        }
        long copied = 0;
        IOException interruption = null;
        boolean superseded = false;
        boolean done = false;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buffer = new byte[BUFFER];
            while (copied <= limit) {
                int n;
                try {
                    n = body.read(buffer, 0, (int) Math.min(buffer.length, limit + 1 - copied));
                } catch (IOException e) {
                    interruption = e;
                    superseded = stop.getAsBoolean();
                    break;
                }
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                if (md != null) {
                    md.update(buffer, 0, n);
                }
                copied += n;
                onProgress.run();
                if (stop.getAsBoolean()) {
                    superseded = copied <= limit;
                    break;
                }
            }
            done = true;
        } catch (IOException e) {
            throw new UploadRejectedException(507, "could not store the upload", e);
        } finally {
            if (!done) {
                TempStorage.deleteQuietly(file);
            }
        }
        return new StagedBody(file, Math.min(copied, limit), copied > limit, interruption,
                md == null ? null : md.digest(), superseded);
    }

    /** Bytes staged (never more than the limit). */
    long length() {
        return length;
    }

    /** Whether the body had more bytes than the limit. */
    boolean overflowed() {
        return overflowed;
    }

    /** The failure that ended reading the request early, or null when the body ended normally. */
    IOException interruption() {
        return interruption;
    }

    /**
     * Whether reading stopped because a later request for the upload asked this one to let go;
     * the bytes staged until then are complete and in order.
     */
    boolean superseded() {
        return superseded;
    }

    /** The digest of every byte read (including one beyond the limit), or null. */
    byte[] digest() {
        return digest;
    }

    /** Opens a span of the staged bytes. */
    InputStream open(long offset, long count) throws IOException {
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        channel.position(offset);
        return new BoundedInputStream(Channels.newInputStream(channel), count);
    }

    @Override
    public void close() {
        TempStorage.deleteQuietly(file);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest algorithm: " + algorithm, e);
        }
    }
}
