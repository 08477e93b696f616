package io.spillway.core.resumable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.storage.LocalResumableStore;
import io.spillway.core.storage.ResumableStore;
import io.spillway.core.storage.UploadIds;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class LocalResumableStoreTest {

    @TempDir
    Path tempRoot;

    private LocalResumableStore store;

    @BeforeEach
    void open() throws Exception {
        store = LocalResumableStore.open(tempRoot);
    }

    @Test
    void create_makesPrivateDirectoryAndFiles() throws Exception {
        String id = UploadIds.newId();
        store.create(id, "{\"a\":1}");
        Path dir = tempRoot.resolve("resumable").resolve(id);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tempRoot.resolve("resumable"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state.json"))));
        assertEquals(List.of("data", "state.json"), Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList());
        assertThrows(FileAlreadyExistsException.class, () -> store.create(id, "{}"));
    }

    @Test
    void replaceState_isCompareAndSet() throws Exception {
        String id = UploadIds.newId();
        store.create(id, "{\"v\":1}");
        String v1 = store.readState(id).orElseThrow().version();
        Optional<String> v2 = store.replaceState(id, v1, "{\"v\":2}");
        assertTrue(v2.isPresent());
        assertEquals(Optional.empty(), store.replaceState(id, v1, "{\"v\":3}"), "stale version must lose");
        assertEquals("{\"v\":2}", store.readState(id).orElseThrow().json());
        assertEquals(v2.get(), store.readState(id).orElseThrow().version());
        assertFalse(Files.exists(tempRoot.resolve("resumable").resolve(id).resolve("state.json.tmp")));
    }

    @Test
    void write_storesAtOffsets_andReadsBack() throws Exception {
        String id = UploadIds.newId();
        store.create(id, "{}");
        store.write(id, 10, new ByteArrayInputStream("world".getBytes(StandardCharsets.US_ASCII)), 5);
        store.write(id, 0, new ByteArrayInputStream("hello".getBytes(StandardCharsets.US_ASCII)), 5);
        assertEquals(15, store.storedExtent(id));
        try (InputStream in = store.read(id, 10, 5)) {
            assertArrayEquals("world".getBytes(StandardCharsets.US_ASCII), in.readAllBytes());
        }
        store.discardBeyond(id, 5);
        assertEquals(5, store.storedExtent(id));
        assertEquals("hello", Files.readString(store.materialize(id)));
    }

    @Test
    void write_shortSource_isEof() throws Exception {
        String id = UploadIds.newId();
        store.create(id, "{}");
        assertThrows(EOFException.class, () -> store.write(id, 0, new ByteArrayInputStream(new byte[3]), 4));
    }

    @Test
    void everyOperation_refusesIdsTheServerDidNotIssue() {
        for (String bad : List.of("../x", "..", "%00", "a\u0000b", "x".repeat(10_240), "",
                "ABCDEF0123456789ABCDEF0123456789", "0123456789abcdef0123456789abcde/",
                "0123456789abcdef0123456789abcdef0")) {
            for (Executable op : List.<Executable>of(() -> store.create(bad, "{}"), () -> store.readState(bad),
                    () -> store.replaceState(bad, "v", "{}"), () -> store.write(bad, 0, InputStream.nullInputStream(), 0),
                    () -> store.read(bad, 0, 0), () -> store.storedExtent(bad), () -> store.discardBeyond(bad, 0),
                    () -> store.materialize(bad), () -> store.delete(bad))) {
                assertThrows(IllegalArgumentException.class, op);
            }
        }
        assertEquals(List.of(), listing());
    }

    @Test
    void delete_removesStateFirstAndEverything() throws Exception {
        String id = UploadIds.newId();
        store.create(id, "{}");
        store.write(id, 0, new ByteArrayInputStream(new byte[100]), 100);
        store.delete(id);
        assertEquals(List.of(), listing());
        assertEquals(Optional.empty(), store.readState(id));
        store.delete(id);
    }

    @Test
    void list_reportsOrphans() throws Exception {
        String id = UploadIds.newId();
        store.create(id, "{}");
        String orphan = UploadIds.newId();
        Files.createDirectory(tempRoot.resolve("resumable").resolve(orphan));
        Files.createDirectory(tempRoot.resolve("resumable").resolve("not-an-id"));
        List<ResumableStore.StoredUpload> all = store.list();
        assertEquals(2, all.size());
        assertTrue(all.stream().anyMatch(u -> u.id().equals(id) && u.hasState()));
        assertTrue(all.stream().anyMatch(u -> u.id().equals(orphan) && !u.hasState()));
    }

    @Test
    void plantedSymlinkAsData_isNotFollowed() throws Exception {
        String id = UploadIds.newId();
        store.create(id, "{}");
        Path victim = Files.writeString(tempRoot.resolve("victim.txt"), "keep me");
        Path data = tempRoot.resolve("resumable").resolve(id).resolve("data");
        Files.delete(data);
        Files.createSymbolicLink(data, victim);
        assertThrows(java.io.IOException.class,
                () -> store.write(id, 0, new ByteArrayInputStream(new byte[4]), 4));
        assertThrows(java.io.IOException.class, () -> store.materialize(id));
        store.delete(id);
        assertEquals("keep me", Files.readString(victim));
    }

    private List<String> listing() {
        try (var files = Files.list(tempRoot.resolve("resumable"))) {
            return files.map(p -> p.getFileName().toString()).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
