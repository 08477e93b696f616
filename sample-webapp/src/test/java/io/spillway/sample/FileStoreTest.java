package io.spillway.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {

    private static final UploadRoute STREAMED = new UploadRoute("STREAMED", "STREAMED: 12 MiB > 10 MiB threshold");

    @TempDir
    Path directory;

    @Test
    void store_computesSizeAndSha256OfTheBytesWritten() throws Exception {
        byte[] content = seeded(3_000_017, 42);
        FileStore store = new FileStore(directory);

        StoredFile stored = store.store(new ByteArrayInputStream(content), "report.pdf", STREAMED);

        assertEquals(content.length, stored.size());
        assertEquals(sha256(content), stored.sha256());
        assertEquals("report.pdf", stored.name());
        assertEquals("STREAMED", stored.route());
        assertEquals(STREAMED.reason(), stored.reason());
        assertEquals(sha256(content), sha256(Files.readAllBytes(directory.resolve(stored.id() + ".bin"))));
    }

    @Test
    void store_keepsTheClientNameAsSanitizedMetadataOnly() throws Exception {
        FileStore store = new FileStore(directory);

        StoredFile stored = store.store(new ByteArrayInputStream(new byte[] {1}), "../../etc/passwd", STREAMED);

        assertEquals("passwd", stored.name());
        assertTrue(stored.id().matches("[0-9a-f]{32}"), stored.id());
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(stored.id() + ".bin", stored.id() + ".properties"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void store_whenTheStreamFails_leavesNothingBehind() throws Exception {
        FileStore store = new FileStore(directory);
        InputStream failing = new InputStream() {
            private int left = 100_000;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (left == 0) {
                    throw new IOException("connection reset");
                }
                int n = Math.min(length, left);
                left -= n;
                return n;
            }
        };

        IOException thrown = assertThrows(IOException.class, () -> store.store(failing, "x.bin", STREAMED));

        assertEquals("connection reset", thrown.getMessage());
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(0, files.count());
        }
        assertEquals(List.of(), store.list());
    }

    @Test
    void list_returnsNewestFirstAndSurvivesANewStoreOnTheSameDirectory() throws Exception {
        Instant t0 = Instant.parse("2025-01-01T10:00:00Z");
        FileStore first = new FileStore(directory, Clock.fixed(t0, ZoneOffset.UTC));
        StoredFile older = first.store(new ByteArrayInputStream(seeded(10, 1)), "a.txt", STREAMED);
        FileStore second = new FileStore(directory, Clock.fixed(t0.plusSeconds(5), ZoneOffset.UTC));
        StoredFile newer = second.store(new ByteArrayInputStream(seeded(20, 2)), "b.txt",
                new UploadRoute("BUFFERED", "BUFFERED: 20 B"));

        assertEquals(List.of(newer, older), new FileStore(directory).list());
    }

    @Test
    void delete_removesBothFilesAndRefusesIdsThatAreNotIds() throws Exception {
        FileStore store = new FileStore(directory);
        StoredFile stored = store.store(new ByteArrayInputStream(seeded(10, 3)), "a.txt", STREAMED);

        assertFalse(store.delete("../" + stored.id()));
        assertFalse(store.delete(stored.id().toUpperCase()));
        assertTrue(store.delete(stored.id()));
        assertFalse(store.delete(stored.id()));
        assertEquals(List.of(), store.list());
    }

    static byte[] seeded(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
