package io.spillway.core.upload;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.storage.TempStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Where one part's bytes go while it is read: memory first, within a small inline allowance and
 * the request's share of its budget reservation, then a temp file once that is used up.
 *
 * <p>The move to disk happens in the middle of a part when needed: the bytes already in memory
 * are written first, so the file always holds the part from its first byte.
 */
final class SpillingSink implements AutoCloseable {

    private static final int BLOCK = 64 * 1024;

    private final TempStorage storage;
    private final MemoryAllowance allowance;
    private final MessageDigest digest;
    private final DiskGuard diskGuard;
    private final List<byte[]> blocks = new ArrayList<>();
    private byte[] current;
    private int currentUsed;
    private long inlineLeft;
    private long size;
    private Path file;
    private FileChannel channel;
    private boolean finished;

    SpillingSink(TempStorage storage, MemoryAllowance allowance, long inline, MessageDigest digest, DiskGuard diskGuard) {
        this.storage = storage;
        this.allowance = allowance;
        this.inlineLeft = inline;
        this.digest = digest;
        this.diskGuard = diskGuard;
    }

    /** Bytes written so far. */
    long size() {
        return size;
    }

    void write(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        if (digest != null) {
            digest.update(buffer, offset, length);
        }
        size += length;
        if (channel == null && fitsInMemory(length)) {
            copyToMemory(buffer, offset, length);
            return;
        }
        if (channel == null) {
            spill();
        }
        writeToFile(ByteBuffer.wrap(buffer, offset, length));
    }

    /** Ends the part and returns its stored content; the sink no longer owns it. */
    PartContent finish() throws IOException {
        if (channel == null) {
            if (current != null && currentUsed > 0) {
                blocks.add(currentUsed == current.length ? current : java.util.Arrays.copyOf(current, currentUsed));
            }
            current = null;
            finished = true;
            return PartContent.inMemory(blocks, size);
        }
        channel.close();
        finished = true;
        return PartContent.ofFile(file, size);
    }

    /** The digest of the bytes written, as hex, or null when no algorithm was configured. */
    String digestHex() {
        return digest == null ? null : HexFormat.of().formatHex(digest.digest());
    }

    /** Discards everything unless {@link #finish()} handed it over. */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        finished = true;
        blocks.clear();
        current = null;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
        }
        TempStorage.deleteQuietly(file);
    }

    private boolean fitsInMemory(int length) {
        if (length <= inlineLeft) {
            inlineLeft -= length;
            return true;
        }
        return allowance.tryTake(length);
    }

    private void copyToMemory(byte[] buffer, int offset, int length) {
        while (length > 0) {
            if (current == null || currentUsed == current.length) {
                if (current != null) {
                    blocks.add(current);
                }
                current = new byte[BLOCK];
                currentUsed = 0;
            }
            int n = Math.min(length, current.length - currentUsed);
            System.arraycopy(buffer, offset, current, currentUsed, n);
            currentUsed += n;
            offset += n;
            length -= n;
        }
    }

    private void spill() throws IOException {
        try {
            file = storage.createFile(".part");
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UploadRejectedException(507, "could not create a temp file: " + DiskGuard.describe(e), e);
        }
        for (byte[] block : blocks) {
            writeToFile(ByteBuffer.wrap(block));
        }
        if (current != null) {
            writeToFile(ByteBuffer.wrap(current, 0, currentUsed));
        }
        blocks.clear();
        current = null;
    }

    private void writeToFile(ByteBuffer data) throws IOException {
        int length = data.remaining();
        diskGuard.beforeWrite(length);
        try {
            while (data.hasRemaining()) {
                channel.write(data);
            }
        } catch (IOException e) {
            throw new UploadRejectedException(507, "could not store the upload: " + DiskGuard.describe(e), e);
        }
    }
}
