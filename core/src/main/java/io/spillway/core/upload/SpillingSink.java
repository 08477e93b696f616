package io.spillway.core.upload;

import io.spillway.core.storage.TempStorage;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Where one part's bytes go while it is read: memory first, within a small inline allowance and
 * the request's share of its budget reservation, then a {@link SpillTarget} (a temp file, or an
 * object store) once that is used up.
 *
 * <p>The spill happens in the middle of a part when needed: the bytes already in memory are
 * written first, so the target always holds the part from its first byte.
 */
final class SpillingSink implements AutoCloseable {

    private static final int BLOCK = 64 * 1024;
    private static final int FIRST_BLOCK = 1024;

    private final SpillTarget target;
    private final MemoryAllowance allowance;
    private final MessageDigest digest;
    private final DiskGuard diskGuard;
    private final List<byte[]> blocks = new ArrayList<>();
    private byte[] current;
    private int currentUsed;
    private long inlineLeft;
    private long size;
    private SpillWriter spilled;
    private boolean finished;

    SpillingSink(SpillTarget target, MemoryAllowance allowance, long inline, MessageDigest digest,
                 DiskGuard diskGuard) {
        this.target = target;
        this.allowance = allowance;
        this.inlineLeft = inline;
        this.digest = digest;
        this.diskGuard = diskGuard;
    }

    /** A sink that spills to temp files in {@code storage}. */
    SpillingSink(TempStorage storage, MemoryAllowance allowance, long inline, MessageDigest digest,
                 DiskGuard diskGuard) {
        this(SpillTarget.tempFiles(storage), allowance, inline, digest, diskGuard);
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
        if (spilled == null && fitsInMemory(length)) {
            copyToMemory(buffer, offset, length);
            return;
        }
        if (spilled == null) {
            spill();
        }
        spilled.write(buffer, offset, length);
    }

    /** Ends the part and returns its stored content; the sink no longer owns it. */
    PartContent finish() throws IOException {
        if (spilled == null) {
            if (current != null && currentUsed > 0) {
                blocks.add(currentUsed == current.length ? current : Arrays.copyOf(current, currentUsed));
            }
            current = null;
            finished = true;
            return PartContent.inMemory(blocks, size);
        }
        PartContent content = spilled.finish();
        finished = true;
        return content;
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
        if (spilled != null) {
            spilled.close();
        }
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
        spilled = target.open(diskGuard);
        for (byte[] block : blocks) {
            spilled.write(block, 0, block.length);
        }
        if (current != null) {
            spilled.write(current, 0, currentUsed);
        }
        blocks.clear();
        current = null;
    }
}
