package io.spillway.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(value = OS.WINDOWS, disabledReason = "checks POSIX permissions and symlinks")
class TempStorageTest {

    @TempDir
    Path tmp;

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void open_missingDirectory_createsItAndItsParentsPrivate() throws IOException {
        Path dir = tmp.resolve("a/b/spillway");
        TempStorage storage = TempStorage.open(dir);
        assertTrue(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS));
        assertEquals("rwx------", mode(dir));
        assertEquals(dir, storage.root());
    }

    @Test
    void open_existingDirectory_isTightenedTo0700() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("spillway"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        TempStorage.open(dir);
        assertEquals("rwx------", mode(dir));
    }

    @Test
    void open_existingDirectory_keepsItsFiles() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("spillway"));
        Files.writeString(dir.resolve("spw-earlier.part"), "kept");
        TempStorage.open(dir);
        assertEquals("kept", Files.readString(dir.resolve("spw-earlier.part")));
    }

    @Test
    void open_pathIsNormalizedAndAbsolute() throws IOException {
        TempStorage storage = TempStorage.open(tmp.resolve("x/../spillway"));
        assertEquals(tmp.resolve("spillway"), storage.root());
        assertTrue(storage.root().isAbsolute());
    }

    @Test
    void open_symlinkAtThePath_isRefusedAndItsTargetUntouched() throws IOException {
        Path target = Files.createDirectory(tmp.resolve("victim"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(target.resolve("spw-precious"), "data");
        Path link = Files.createSymbolicLink(tmp.resolve("spillway"), target);

        IOException e = assertThrows(IOException.class, () -> TempStorage.open(link));
        assertEquals("temp directory must not be a symbolic link: " + link, e.getMessage());
        assertEquals("rwxr-xr-x", mode(target));
        assertEquals("data", Files.readString(target.resolve("spw-precious")));
    }

    @Test
    void open_danglingSymlinkAtThePath_isRefusedAndNothingIsCreated() throws IOException {
        Path target = tmp.resolve("not-yet");
        Path link = Files.createSymbolicLink(tmp.resolve("spillway"), target);
        IOException e = assertThrows(IOException.class, () -> TempStorage.open(link));
        assertEquals("temp directory must not be a symbolic link: " + link, e.getMessage());
        assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void open_fileAtThePath_isRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("spillway"), "x");
        IOException e = assertThrows(IOException.class, () -> TempStorage.open(file));
        assertEquals("temp directory is not a directory: " + file, e.getMessage());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void createFile_isEmpty0600WithTheServerPrefixAndSuffix() throws IOException {
        TempStorage storage = TempStorage.open(tmp.resolve("spillway"));
        Path file = storage.createFile(".part");
        assertEquals(storage.root(), file.getParent());
        assertTrue(file.getFileName().toString().matches("spw-[0-9a-f]{32}\\.part"), file.toString());
        assertTrue(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS));
        assertEquals(0, Files.size(file));
        assertEquals("rw-------", mode(file));
        assertTrue(storage.contains(file));
    }

    @Test
    void createFile_withoutSuffix_isJustPrefixAndId() throws IOException {
        Path file = TempStorage.open(tmp.resolve("spillway")).createFile("");
        assertTrue(file.getFileName().toString().matches("spw-[0-9a-f]{32}"), file.toString());
    }

    @Test
    void createFile_manyTimes_neverReusesAName() throws IOException {
        TempStorage storage = TempStorage.open(tmp.resolve("spillway"));
        Set<Path> files = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            assertTrue(files.add(storage.createFile(".part")));
        }
        assertEquals(200, storage.countFiles());
    }

    @Test
    void newId_is32LowercaseHexCharactersAndUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = TempStorage.newId();
            assertTrue(id.matches("[0-9a-f]{32}"), id);
            assertTrue(ids.add(id), "repeated " + id);
        }
    }

    @Test
    void usableSpace_isPositive() throws IOException {
        assertTrue(TempStorage.open(tmp.resolve("spillway")).usableSpace() > 0);
    }

    @Test
    void deleteQuietly_deletesAFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        assertTrue(TempStorage.deleteQuietly(file));
        assertFalse(Files.exists(file));
    }

    @Test
    void deleteQuietly_missingOrNull_returnsFalse() {
        assertFalse(TempStorage.deleteQuietly(tmp.resolve("missing")));
        assertFalse(TempStorage.deleteQuietly(null));
    }

    @Test
    void deleteQuietly_nonEmptyDirectory_returnsFalseWithoutThrowing() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        Files.writeString(dir.resolve("f"), "x");
        assertFalse(TempStorage.deleteQuietly(dir));
        assertTrue(Files.exists(dir.resolve("f")));
    }

    @Test
    void contains_pathsInside_areContained() throws IOException {
        TempStorage storage = TempStorage.open(tmp.resolve("spillway"));
        assertTrue(storage.contains(storage.root().resolve("spw-x.part")));
        assertTrue(storage.contains(storage.root().resolve("sub/deeper/x")));
        assertTrue(storage.contains(storage.root().resolve("sub/../spw-x")));
    }

    @Test
    void contains_pathsOutside_areNotContained() throws IOException {
        TempStorage storage = TempStorage.open(tmp.resolve("spillway"));
        assertFalse(storage.contains(storage.root().resolve("../etc/passwd")));
        assertFalse(storage.contains(storage.root().resolve("../../..")));
        assertFalse(storage.contains(tmp.resolve("spillway2/spw-x")));
        assertFalse(storage.contains(tmp.resolve("spill")));
        assertFalse(storage.contains(Path.of("/etc/passwd")));
    }

    @Test
    void countFiles_countsOnlyItsOwnPrefix() throws IOException {
        TempStorage storage = TempStorage.open(tmp.resolve("spillway"));
        storage.createFile(".part");
        storage.createFile(".chunk");
        Files.writeString(storage.root().resolve("readme.txt"), "not ours");
        assertEquals(2, storage.countFiles());
    }

    @Test
    void deleteOwnFiles_deletesOnlyItsOwnPrefix() throws IOException {
        TempStorage storage = TempStorage.open(tmp.resolve("spillway"));
        Path a = storage.createFile(".part");
        Path b = storage.createFile(".chunk");
        Path foreign = Files.writeString(storage.root().resolve("readme.txt"), "not ours");
        Path almost = Files.writeString(storage.root().resolve("spw.txt"), "not ours either");
        Path nested = Files.createDirectories(storage.root().resolve("spw-sessions"));
        Path nestedFile = Files.writeString(nested.resolve("spw-state.json"), "{}");

        storage.deleteOwnFiles();

        assertFalse(Files.exists(a));
        assertFalse(Files.exists(b));
        assertTrue(Files.exists(foreign));
        assertTrue(Files.exists(almost));
        assertTrue(Files.exists(nestedFile));
        assertEquals(1, storage.countFiles(), "only the spw-sessions directory is left with the prefix");
    }

    @Test
    void deleteOwnFiles_symlinkWithThePrefix_leavesItsTargetAlone() throws IOException {
        TempStorage storage = TempStorage.open(tmp.resolve("spillway"));
        Path target = Files.writeString(tmp.resolve("precious.txt"), "data");
        Files.createSymbolicLink(storage.root().resolve("spw-planted"), target);
        storage.deleteOwnFiles();
        assertEquals("data", Files.readString(target));
    }

    @Test
    void deleteOwnFilesAndCountFiles_afterTheDirectoryVanished_doNotThrow() throws IOException {
        TempStorage storage = TempStorage.open(tmp.resolve("spillway"));
        Files.delete(storage.root());
        storage.deleteOwnFiles();
        assertEquals(0, storage.countFiles());
    }

    @Test
    void open_existingSharedDirectory_isRefusedNotLockedDown() throws IOException {
        Path shared = Files.createDirectory(tmp.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException error = assertThrows(IOException.class, () -> TempStorage.open(shared));
        assertTrue(error.getMessage().contains("is writable by others (rwxrwxrwx); use a private subdirectory"),
                error.getMessage());
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
    }

    @Test
    void open_existingOwnDirectory_isTightenedTo0700() throws IOException {
        Path own = Files.createDirectory(tmp.resolve("own"));
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwxr-xr-x"));
        TempStorage.open(own);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(own)));
    }
}
