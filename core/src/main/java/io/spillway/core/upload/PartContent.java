package io.spillway.core.upload;

import io.spillway.core.storage.TempStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The stored bytes of one part: in memory (a list of blocks), or in a file in the temp directory.
 *
 * <p>{@link #moveTo(Path)} hands the bytes to the application (a rename when possible), after
 * which {@link #release()} no longer deletes them; {@link #release()} deletes whatever is still
 * Spillway's. Both are safe to call more than once.
 */
public final class PartContent {

    private final List<byte[]> blocks;
    private final long size;
    private Path file;
    private boolean owned;
    private boolean deleted;

    private PartContent(List<byte[]> blocks, Path file, long size) {
        this.blocks = blocks;
        this.file = file;
        this.owned = file != null;
        this.size = size;
    }

    static PartContent inMemory(List<byte[]> blocks, long size) {
        return new PartContent(List.copyOf(blocks), null, size);
    }

    /** Wraps bytes already in memory (a small form field) as part content. */
    public static PartContent ofBytes(byte[] bytes) {
        return new PartContent(List.of(bytes.clone()), null, bytes.length);
    }

    /** Wraps a file in the temp directory (Spillway's until moved) as part content. */
    public static PartContent ofFile(Path file, long size) {
        return new PartContent(List.of(), file, size);
    }

    /** The content's length in bytes. */
    public long size() {
        return size;
    }

    /** Whether the bytes are held in memory rather than in a file. */
    public synchronized boolean inMemory() {
        return file == null;
    }

    /** The file holding the bytes (after a move, the application's file), or null when in memory. */
    public synchronized Path file() {
        return file;
    }

    /** Reads the content from the start. */
    public synchronized InputStream open() throws IOException {
        if (deleted) {
            throw new IOException("part content was deleted");
        }
        if (file != null) {
            return Files.newInputStream(file);
        }
        List<InputStream> streams = new ArrayList<>(blocks.size());
        for (byte[] block : blocks) {
            streams.add(new ByteArrayInputStream(block));
        }
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    /** The content as bytes; only for small contents (form fields). */
    public byte[] bytes() throws IOException {
        try (InputStream in = open()) {
            return in.readAllBytes();
        }
    }

    /**
     * Gives the bytes to the application at {@code target} (replacing it). A temp file is renamed
     * when it is on the same file store, else copied and deleted; Spillway forgets it afterwards.
     */
    public synchronized void moveTo(Path target) throws IOException {
        if (deleted) {
            throw new IOException("part content was deleted");
        }
        if (!owned) {
            try (InputStream in = open()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return;
        }
        try {
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException crossDevice) {
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            TempStorage.deleteQuietly(file);
        }
        file = target;
        owned = false;
    }

    /** Whether Spillway still owns a temp file for this content. */
    public synchronized boolean ownsFile() {
        return owned && !deleted;
    }

    /** Deletes the temp file Spillway still owns; idempotent, never throws. */
    public synchronized void release() {
        if (owned && !deleted) {
            TempStorage.deleteQuietly(file);
        }
        if (file == null || owned) {
            deleted = true;
        }
    }
}
