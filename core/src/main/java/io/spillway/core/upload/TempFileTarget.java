package io.spillway.core.upload;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.storage.TempStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Spilled parts as {@code 0600} files in the private temp directory, with free space checked by
 * the request's {@link DiskGuard} as they grow. Writes are gathered into one {@value #BLOCK}-byte
 * buffer, so that the small spans a socket delivers do not each cost a system call.
 */
final class TempFileTarget implements SpillTarget {

    private static final int BLOCK = 64 * 1024;

    private final TempStorage storage;

    TempFileTarget(TempStorage storage) {
        this.storage = storage;
    }

    @Override
    public SpillWriter open(DiskGuard diskGuard) throws IOException {
        Path file = null;
        try {
            file = storage.createFile(".part");
            return new FileWriter(file, FileChannel.open(file, StandardOpenOption.WRITE), diskGuard);
        } catch (IOException e) {
            TempStorage.deleteQuietly(file);
            throw new UploadRejectedException(507, "could not create a temp file: " + DiskGuard.describe(e), e);
        }
    }

    @Override
    public long usableSpace() {
        return storage.usableSpace();
    }

    @Override
    public boolean isLocal() {
        return true;
    }

    private static final class FileWriter implements SpillWriter {
        private final Path file;
        private final FileChannel channel;
        private final DiskGuard diskGuard;
        private ByteBuffer pending = ByteBuffer.allocate(BLOCK);
        private long size;
        private boolean finished;

        FileWriter(Path file, FileChannel channel, DiskGuard diskGuard) {
            this.file = file;
            this.channel = channel;
            this.diskGuard = diskGuard;
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            diskGuard.beforeWrite(length);
            if (pending.position() > 0 && length > pending.remaining()) {
                flush();
            }
            if (length >= pending.capacity()) {
                writeToFile(ByteBuffer.wrap(buffer, offset, length));
            } else {
                pending.put(buffer, offset, length);
            }
            size += length;
        }

        @Override
        public PartContent finish() throws IOException {
            flush();
            channel.close();
            finished = true;
            return PartContent.ofFile(file, size);
        }

        @Override
        public void close() {
            if (finished) {
                return;
            }
            finished = true;
            pending = null;
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
            TempStorage.deleteQuietly(file);
        }

        /** Writes the bytes gathered in {@link #pending}. */
        private void flush() throws IOException {
            if (pending.position() > 0) {
                pending.flip();
                writeToFile(pending);
                pending.clear();
            }
        }

        private void writeToFile(ByteBuffer data) throws IOException {
            try {
                while (data.hasRemaining()) {
                    channel.write(data);
                }
            } catch (IOException e) {
                throw new UploadRejectedException(507, "could not store the upload: " + DiskGuard.describe(e), e);
            }
        }
    }
}
