package io.spillway.core.upload;

import static io.spillway.core.testing.ScriptedMultipartParser.part;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.routing.Route;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.testing.MemoryObjectStore;
import io.spillway.core.testing.ScriptedMultipartParser;
import io.spillway.core.testing.SeededBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parts spilled to a remote {@link SpillTarget} instead of temp files: what the receiver stores
 * there, how {@link PartContent} reads, moves and releases a stored object, and that a failure
 * leaves nothing in the store.
 */
class StoredPartTest {

    private static final byte[] BOUNDARY = "outer".getBytes(StandardCharsets.ISO_8859_1);
    private static final String FILE = "Content-Disposition: form-data; name=\"doc\"; filename=\"a.bin\"";

    @TempDir
    Path tmp;

    private final MemoryObjectStore store = new MemoryObjectStore();
    private final ScriptedMultipartParser parser = new ScriptedMultipartParser();
    private final SpillwayConfig config = SpillwayConfig.custom().maxFileSize(1 << 20).build();

    @Test
    void aPartBeyondTheInlineBytes_isStoredFromItsFirstByte_andASmallOneStaysInMemory() throws IOException {
        byte[] big = SeededBytes.of(1, 100_000);
        byte[] small = SeededBytes.of(2, 100);
        parser.body("outer", part(FILE, big.length), part(FILE, small.length));

        List<ReceivedPart> parts = receive(concat(big, small));

        PartContent stored = parts.get(0).content();
        assertFalse(stored.inMemory());
        assertTrue(stored.inStore());
        assertNull(stored.file());
        assertEquals("memory://part-1", stored.location());
        assertArrayEquals(big, store.objects().get("part-1"));
        assertArrayEquals(big, stored.bytes());
        assertTrue(parts.get(1).content().inMemory());
        assertEquals(1, store.objects().size());
        assertNull(UploadRecord.of("id", Route.Kind.STREAMED, "r", parts).files().get(0).storagePath());
    }

    @Test
    void moveTo_downloadsTheObject_removesItFromTheStore_andReadsTheFileAfterwards() throws IOException {
        byte[] data = SeededBytes.of(3, 50_000);
        store.put("k", data);
        PartContent content = PartContent.ofStored(store.object("k"), data.length);
        Path target = tmp.resolve("kept.bin");

        content.moveTo(target);

        assertArrayEquals(data, Files.readAllBytes(target));
        assertEquals(Map.of(), store.objects());
        assertEquals(target, content.file());
        assertFalse(content.inStore());
        assertArrayEquals(data, content.bytes());
        content.release();
        assertTrue(Files.exists(target), "the application's file stays");
    }

    @Test
    void release_deletesTheObject_once_andTheContentCannotBeReadAfterwards() throws IOException {
        store.put("k", new byte[10]);
        PartContent content = PartContent.ofStored(store.object("k"), 10);

        content.release();
        content.release();

        assertEquals(Map.of(), store.objects());
        assertFalse(content.inStore());
        assertEquals("part content was deleted", assertThrows(IOException.class, content::open).getMessage());
        assertThrows(IOException.class, () -> content.moveTo(tmp.resolve("x")));
    }

    @Test
    void aFailedMove_keepsTheObjectSpillwaysToRelease() throws IOException {
        store.put("k", new byte[10]);
        PartContent content = PartContent.ofStored(store.object("k"), 10);
        store.fail();

        assertThrows(UploadRejectedException.class, () -> content.moveTo(tmp.resolve("x")));

        assertTrue(content.inStore());
        content.release();
        assertEquals(Map.of(), store.objects());
    }

    @Test
    void aLimitExceededMidPart_discardsTheOpenWriter_andEveryStoredPart() throws IOException {
        byte[] first = SeededBytes.of(4, 20_000);
        byte[] second = SeededBytes.of(5, (1 << 20) + 1);
        parser.body("outer", part(FILE, first.length), part(FILE, second.length));

        UploadRejectedException e = assertThrows(UploadRejectedException.class, () -> receive(concat(first, second)));

        assertEquals(413, e.status());
        assertEquals(Map.of(), store.objects());
        assertEquals(java.util.Set.of(), store.openWriters());
    }

    @Test
    void aStoreFailure_isTheStoresRejection_andLeavesNoWriterOpen() {
        byte[] data = SeededBytes.of(6, 20_000);
        parser.body("outer", part(FILE, data.length));
        store.fail();

        UploadRejectedException e = assertThrows(UploadRejectedException.class, () -> receive(data));

        assertEquals(503, e.status());
        assertEquals(java.util.Set.of(), store.openWriters());
    }

    @Test
    void tempFiles_isLocal_andReportsTheTempDirectorysFreeSpace() throws IOException {
        TempStorage storage = TempStorage.open(tmp.resolve("spillway"));
        SpillTarget target = SpillTarget.tempFiles(storage);
        assertTrue(target.isLocal());
        assertTrue(target.usableSpace() > 0);
        assertFalse(store.isLocal());
    }

    @Test
    void streamedStorageStore_withoutAProvider_failsNamingTheStorage() throws IOException {
        SpillwayConfig wanted = SpillwayConfig.custom().storage("nowhere")
                .streamedStorage(SpillwayConfig.STREAMED_STORAGE_STORE).build();
        TempStorage storage = TempStorage.open(tmp.resolve("spillway"));

        IOException e = assertThrows(IOException.class, () -> SpillTargets.open(wanted, storage, bytes -> {
            throw new AssertionError("no reservation expected");
        }));

        assertEquals("streamedStorage=store needs a jar that stores streamed parts for storage=nowhere; "
                + "none is on the class path", e.getMessage());
        assertTrue(SpillTargets.open(SpillwayConfig.ofDefaults(), storage, bytes -> java.util.Optional.empty())
                .isLocal());
    }

    private List<ReceivedPart> receive(byte[] body) throws IOException {
        return new MultipartReceiver(parser, config, store, null)
                .receive(new ByteArrayInputStream(body), BOUNDARY, 0, DiskGuard.unlimited());
    }

    private static byte[] concat(byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : chunks) {
            out.writeBytes(c);
        }
        return out.toByteArray();
    }
}
