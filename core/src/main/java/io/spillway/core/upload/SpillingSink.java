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
 * are written first, so the file always holds the part from its first byte. Writes to the file
 * are gathered into one {@value #BLOCK}-byte buffer, so that the small spans a socket delivers
 * do not each cost a system call.
 */
final class SpillingSink implements AutoCloseable {

    private static final int BLOCK = 64 * 1024;
    private static final int FIRST_BLOCK = 1024;

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
    private ByteBuffer pending;
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
        if (pending.position() > 0 && length > pending.remaining()) {
            flush();
        }
        if (length >= pending.capacity()) {
            writeToFile(ByteBuffer.wrap(buffer, offset, length));
        } else {
            pending.put(buffer, offset, length);
        }
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
        flush();
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
        pending = null;
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
                current = new byte[nextBlockSize(length)];
                currentUsed = 0;
            }
            int n = Math.min(length, current.length - currentUsed);
            System.arraycopy(buffer, offset, current, currentUsed, n);
            currentUsed += n;
            offset += n;
            length -= n;
        }
    }

    /**
     * Blocks double from {@value #FIRST_BLOCK} bytes up to {@value #BLOCK}, starting at the size of
     * the first write: a small field does not cost a whole block.
     */
    private int nextBlockSize(int length) {
        int size = current == null ? Math.max(FIRST_BLOCK, length) : current.length * 2;
        return Math.min(size, BLOCK);
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
        pending = ByteBuffer.allocate(BLOCK);
    }

    /** Writes the bytes gathered in {@link #pending}: the parser hands over spans as the network delivers them. */
    private void flush() throws IOException {
        if (pending.position() > 0) {
            pending.flip();
            writeToFile(pending);
            pending.clear();
        }
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
