package io.spillway.core.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.testing.SeededBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillingSinkTest {

    private static final int INLINE = 8 * 1024;

    @TempDir
    Path tmp;

    private TempStorage storage;

    @BeforeEach
    void openStorage() throws IOException {
        storage = TempStorage.open(tmp.resolve("spillway"));
    }

    private SpillingSink sink(long allowance) {
        return new SpillingSink(storage, new MemoryAllowance(allowance), INLINE, null, DiskGuard.unlimited());
    }

    /** Writes in uneven pieces, as a parser hands them over. */
    private static void writeInPieces(SpillingSink sink, byte[] data) throws IOException {
        int[] pieces = {1, 7, 4096, 13, 65536, 100_000};
        int offset = 0;
        for (int i = 0; offset < data.length; i++) {
            int n = Math.min(pieces[i % pieces.length], data.length - offset);
            sink.write(data, offset, n);
            offset += n;
        }
    }

    /** A sink with {@code allowance} bytes of memory that was handed {@code data} in uneven pieces. */
    private SpillingSink written(long allowance, byte[] data) throws IOException {
        SpillingSink sink = sink(allowance);
        writeInPieces(sink, data);
        return sink;
    }

    @Test
    void finish_smallPart_staysInMemory() throws IOException {
        byte[] data = SeededBytes.of(1, 100);
        PartContent content = written(0, data).finish();
        assertTrue(content.inMemory());
        assertEquals(100, content.size());
        assertArrayEquals(data, content.bytes());
        assertEquals(0, storage.countFiles());
    }

    @Test
    void finish_exactlyTheInlineBytes_staysInMemory() throws IOException {
        SpillingSink sink = sink(0);
        sink.write(SeededBytes.of(1, INLINE), 0, INLINE);
        assertTrue(sink.finish().inMemory());
    }

    @Test
    void finish_beyondInlineWithoutAllowance_spillsTheWholePartToOneFile() throws IOException {
        byte[] data = SeededBytes.of(2, INLINE + 1);
        PartContent content = written(0, data).finish();
        assertFalse(content.inMemory());
        assertTrue(content.ownsFile());
        assertTrue(storage.contains(content.file()));
        assertArrayEquals(data, Files.readAllBytes(content.file()));
        assertEquals(data.length, content.size());
        assertEquals(1, storage.countFiles());
    }

    @Test
    void finish_withinTheAllowance_keepsSeveralBlocksInMemoryInOrder() throws IOException {
        byte[] data = SeededBytes.of(3, 300_000);
        PartContent content = written(300_000, data).finish();
        assertTrue(content.inMemory());
        assertArrayEquals(data, content.bytes());
    }

    @Test
    void finish_allowanceUsedUpMidPart_writesTheBytesAlreadyInMemoryFirst() throws IOException {
        byte[] data = SeededBytes.of(4, 500_000);
        PartContent content = written(200_000, data).finish();
        assertFalse(content.inMemory());
        assertArrayEquals(data, Files.readAllBytes(content.file()));
    }

    @Test
    void write_zeroBytes_changesNothing() throws IOException {
        SpillingSink sink = sink(0);
        sink.write(new byte[10], 0, 0);
        assertEquals(0, sink.size());
        PartContent content = sink.finish();
        assertTrue(content.inMemory());
        assertEquals(0, content.bytes().length);
    }

    @Test
    void size_countsEveryByteWritten() throws IOException {
        SpillingSink sink = written(0, SeededBytes.of(5, 50_000));
        assertEquals(50_000, sink.size());
        sink.close();
    }

    @Test
    void digestHex_isTheDigestOfEveryByte() throws IOException, NoSuchAlgorithmException {
        byte[] data = SeededBytes.of(6, 100_000);
        SpillingSink sink = new SpillingSink(storage, new MemoryAllowance(0), INLINE,
                MessageDigest.getInstance("SHA-256"), DiskGuard.unlimited());
        writeInPieces(sink, data);
        assertEquals(SeededBytes.sha256(data), sink.digestHex());
        sink.close();
    }

    @Test
    void digestHex_withoutAlgorithm_isNull() {
        assertNull(sink(0).digestHex());
    }

    @Test
    void close_beforeFinish_deletesThePartialFile() throws IOException {
        SpillingSink sink = written(0, SeededBytes.of(7, 100_000));
        assertEquals(1, storage.countFiles());
        sink.close();
        sink.close();
        assertEquals(0, storage.countFiles());
    }

    @Test
    void close_afterFinish_leavesTheContentToItsNewOwner() throws IOException {
        SpillingSink sink = written(0, SeededBytes.of(8, 100_000));
        PartContent content = sink.finish();
        sink.close();
        assertTrue(Files.exists(content.file()));
    }

    @Test
    void write_diskGuardRefuses_throws507() throws IOException {
        SpillingSink sink = new SpillingSink(storage, new MemoryAllowance(0), INLINE, null,
                new DiskGuard(() -> 1024, 1024));
        sink.write(new byte[INLINE], 0, INLINE);
        UploadRejectedException e = assertThrows(UploadRejectedException.class, () -> sink.write(new byte[1], 0, 1));
        assertEquals(507, e.status());
        sink.close();
        assertEquals(0, storage.countFiles());
    }

    @Test
    void write_tempDirectoryGone_throws507WithoutAPath() throws IOException {
        Files.delete(storage.root());
        SpillingSink sink = sink(0);
        UploadRejectedException e = assertThrows(UploadRejectedException.class,
                () -> sink.write(new byte[INLINE + 1], 0, INLINE + 1));
        assertEquals(507, e.status());
        assertEquals("could not create a temp file: NoSuchFileException", e.reason());
    }
}
