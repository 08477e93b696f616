package io.spillway.core.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.testing.Prerequisites;
import io.spillway.core.testing.SeededBytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartContentTest {

    @TempDir
    Path tmp;

    private Path tempFile(byte[] data) throws IOException {
        return Files.write(tmp.resolve("spw-1.part"), data);
    }

    @Test
    void ofBytes_copiesTheArray() throws IOException {
        byte[] data = {1, 2, 3};
        PartContent content = PartContent.ofBytes(data);
        data[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, content.bytes());
        assertEquals(3, content.size());
        assertTrue(content.inMemory());
        assertNull(content.file());
        assertFalse(content.ownsFile());
    }

    @Test
    void inMemory_severalBlocks_readBackInOrder() throws IOException {
        byte[] a = SeededBytes.of(1, 1000);
        byte[] b = SeededBytes.of(2, 10);
        PartContent content = PartContent.inMemory(List.of(a, b), 1010);
        try (InputStream in = content.open()) {
            byte[] all = in.readAllBytes();
            assertArrayEquals(a, java.util.Arrays.copyOfRange(all, 0, 1000));
            assertArrayEquals(b, java.util.Arrays.copyOfRange(all, 1000, 1010));
        }
    }

    @Test
    void open_canBeCalledAgainFromTheStart() throws IOException {
        PartContent content = PartContent.ofBytes(new byte[] {4, 5});
        assertArrayEquals(content.bytes(), content.bytes());
    }

    @Test
    void release_inMemory_makesItUnreadable() {
        PartContent content = PartContent.ofBytes(new byte[] {1});
        content.release();
        IOException e = assertThrows(IOException.class, content::open);
        assertEquals("part content was deleted", e.getMessage());
    }

    @Test
    void ofFile_isOwnedAndReadable() throws IOException {
        byte[] data = SeededBytes.of(3, 5000);
        PartContent content = PartContent.ofFile(tempFile(data), data.length);
        assertTrue(content.ownsFile());
        assertFalse(content.inMemory());
        assertArrayEquals(data, content.bytes());
    }

    @Test
    void release_ownedFile_deletesItOnce() throws IOException {
        Path file = tempFile(new byte[10]);
        PartContent content = PartContent.ofFile(file, 10);
        content.release();
        content.release();
        assertFalse(Files.exists(file));
        assertFalse(content.ownsFile());
        assertThrows(IOException.class, content::open);
    }

    @Test
    void moveTo_handsTheFileToTheApplication() throws IOException {
        byte[] data = SeededBytes.of(4, 5000);
        Path target = tmp.resolve("kept.bin");
        PartContent content = assertMovedTo(target, data);
        content.release();
        assertTrue(Files.exists(target), "release must not delete the application's file");
        assertArrayEquals(data, content.bytes());
    }

    @Test
    void moveTo_replacesAnExistingTarget() throws IOException {
        byte[] data = SeededBytes.of(5, 100);
        Path target = Files.writeString(tmp.resolve("kept.bin"), "old");
        PartContent.ofFile(tempFile(data), data.length).moveTo(target);
        assertArrayEquals(data, Files.readAllBytes(target));
    }

    @Test
    void moveTo_twice_copiesFromTheFirstTarget() throws IOException {
        byte[] data = SeededBytes.of(6, 100);
        PartContent content = PartContent.ofFile(tempFile(data), data.length);
        content.moveTo(tmp.resolve("first.bin"));
        content.moveTo(tmp.resolve("second.bin"));
        assertArrayEquals(data, Files.readAllBytes(tmp.resolve("first.bin")));
        assertArrayEquals(data, Files.readAllBytes(tmp.resolve("second.bin")));
    }

    @Test
    void moveTo_inMemory_writesTheTargetAndStaysInMemory() throws IOException {
        byte[] data = SeededBytes.of(7, 100);
        PartContent content = PartContent.ofBytes(data);
        Path target = tmp.resolve("kept.bin");
        content.moveTo(target);
        assertArrayEquals(data, Files.readAllBytes(target));
        assertTrue(content.inMemory());
    }

    @Test
    void moveTo_afterRelease_throws() throws IOException {
        PartContent content = PartContent.ofFile(tempFile(new byte[1]), 1);
        content.release();
        IOException e = assertThrows(IOException.class, () -> content.moveTo(tmp.resolve("kept.bin")));
        assertEquals("part content was deleted", e.getMessage());
        assertFalse(Files.exists(tmp.resolve("kept.bin")));
    }

    @Test
    void moveTo_anotherFileStore_copiesAndDeletesTheTempFile() throws IOException {
        Optional<Path> other = otherFileStore();
        Prerequisites.require(other.isPresent(), "needs a second file store besides " + tmp + ": /dev/shm or "
                + Prerequisites.SMALL_FS_VARIABLE + " (scripts/test.sh mounts one when it runs as root)");
        Path otherStore = Files.createTempDirectory(other.orElseThrow(), "spillway-test-");

        try {
            assertMovedTo(otherStore.resolve("kept.bin"), SeededBytes.of(8, 5000));
        } finally {
            try (var files = Files.list(otherStore)) {
                files.forEach(io.spillway.core.storage.TempStorage::deleteQuietly);
            }
            Files.deleteIfExists(otherStore);
        }
    }

    @Test
    void moveTo_missingTargetDirectory_keepsTheTempFileOwned() throws IOException {
        Path file = tempFile(new byte[10]);
        PartContent content = PartContent.ofFile(file, 10);
        assertThrows(IOException.class, () -> content.moveTo(tmp.resolve("no/such/dir/kept.bin")));
        assertTrue(content.ownsFile());
        content.release();
        assertFalse(Files.exists(file));
    }

    /** A writable directory on another file store than the test's temp directory: /dev/shm or the small filesystem. */
    /**
     * Moves a temp file of {@code data} to {@code target} and checks that the application now has
     * the bytes there while the part neither keeps nor owns the temp file; returns the moved part.
     */
    private PartContent assertMovedTo(Path target, byte[] data) throws IOException {
        Path file = tempFile(data);
        PartContent content = PartContent.ofFile(file, data.length);

        content.moveTo(target);

        assertFalse(Files.exists(file));
        assertArrayEquals(data, Files.readAllBytes(target));
        assertEquals(target, content.file());
        assertFalse(content.ownsFile());
        return content;
    }

    private Optional<Path> otherFileStore() throws IOException {
        java.nio.file.FileStore here = Files.getFileStore(tmp);
        for (Path candidate : Stream.concat(Stream.of(Path.of("/dev/shm")), Prerequisites.smallFilesystem().stream())
                .toList()) {
            if (Files.isDirectory(candidate) && Files.isWritable(candidate)
                    && !Files.getFileStore(candidate).equals(here)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
