package io.spillway.core.upload;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.Sizes;
import io.spillway.core.storage.TempStorage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A request body written, as it arrives, into one file of the temp directory, so that it can be
 * parsed once it is complete: the way nginx buffers a request body for its upstreams. The request
 * thread is free while the body arrives; the spool holds no buffer of its own, only an open file.
 *
 * <p>It counts what it is given against {@code maxRequestSize} (413) and keeps the disk reserve
 * (507), so an over-long or endless body is refused while it arrives, as on the blocking path.
 * Not thread-safe: one request's read callbacks, which the container never runs at once, write it.
 */
public final class BodySpool implements AutoCloseable {

    private static final int READ_BUFFER = 64 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final long maxRequestSize;
    private final DiskGuard diskGuard;
    private long length;

    private BodySpool(Path file, FileChannel channel, long maxRequestSize, DiskGuard diskGuard) {
        this.file = file;
        this.channel = channel;
        this.maxRequestSize = maxRequestSize;
        this.diskGuard = diskGuard;
    }

    /**
     * Creates an empty spool file in {@code storage}.
     *
     * @param maxRequestSize the most bytes a body may have
     * @param diskGuard      keeps the disk reserve while the body is written
     */
    public static BodySpool create(TempStorage storage, long maxRequestSize, DiskGuard diskGuard) throws IOException {
        Path file = storage.createFile(".body");
        try {
            return new BodySpool(file, FileChannel.open(file, StandardOpenOption.WRITE), maxRequestSize, diskGuard);
        } catch (IOException | RuntimeException e) {
            TempStorage.deleteQuietly(file);
            throw e;
        }
    }

    /** Appends {@code count} bytes of {@code bytes} from {@code offset}. */
    public void write(byte[] bytes, int offset, int count) throws IOException {
        if (length + count > maxRequestSize) {
            throw UploadRejectedException.tooLarge("request body exceeds maxRequestSize "
                    + Sizes.format(maxRequestSize));
        }
        diskGuard.beforeWrite(count);
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, count);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        length += count;
    }

    /** Bytes written so far. */
    public long length() {
        return length;
    }

    /** Closes the file for writing and opens it for reading from its start. */
    public InputStream read() throws IOException {
        channel.close();
        return new BufferedInputStream(Files.newInputStream(file), READ_BUFFER);
    }

    /** Closes and deletes the file. Safe to call more than once, and after {@link #read()}. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // deleting it is what matters
        }
        TempStorage.deleteQuietly(file);
    }
}
