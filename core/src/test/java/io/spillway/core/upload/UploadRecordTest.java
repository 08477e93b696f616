package io.spillway.core.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.multipart.MalformedMultipartException;
import io.spillway.core.multipart.PartHeaders;
import io.spillway.core.routing.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadRecordTest {

    @TempDir
    Path tmp;

    private static PartHeaders headers() throws MalformedMultipartException {
        return PartHeaders.parse("Content-Disposition: form-data; name=\"x\"");
    }

    @Test
    void receivedPart_withFileName_isAFile() throws IOException {
        ReceivedPart part = new ReceivedPart("doc", "a.pdf", "application/pdf", headers(), PartContent.ofBytes(new byte[3]), null);
        assertTrue(part.isFile());
        assertEquals(3, part.size());
    }

    @Test
    void receivedPart_emptyFileName_isStillAFile() throws IOException {
        assertTrue(new ReceivedPart("doc", "", null, headers(), PartContent.ofBytes(new byte[0]), null).isFile());
    }

    @Test
    void receivedPart_withoutFileName_isAField() throws IOException {
        assertFalse(new ReceivedPart("title", null, null, headers(), PartContent.ofBytes(new byte[1]), null).isFile());
    }

    @Test
    void of_keepsOnlyTheFilesInArrivalOrder() throws IOException {
        Path stored = Files.write(tmp.resolve("spw-1.part"), new byte[20]);
        List<ReceivedPart> parts = List.of(
                new ReceivedPart("title", null, null, headers(), PartContent.ofBytes(new byte[5]), null),
                new ReceivedPart("b", "b.bin", "application/octet-stream", headers(), PartContent.ofFile(stored, 20), "ab12"),
                new ReceivedPart("a", "a.txt", "text/plain", headers(), PartContent.ofBytes(new byte[7]), null));

        UploadRecord record = UploadRecord.of("id-1", Route.Kind.STREAMED, "3.0 GiB > inMemoryThreshold 10 MiB", parts);

        assertEquals("id-1", record.uploadId());
        assertEquals(Route.Kind.STREAMED, record.route());
        assertEquals(List.of(
                new UploadRecord.FileRecord("b", "b.bin", "application/octet-stream", 20, stored, "ab12"),
                new UploadRecord.FileRecord("a", "a.txt", "text/plain", 7, null, null)), record.files());
        assertEquals("STREAMED: 3.0 GiB > inMemoryThreshold 10 MiB", record.toString());
    }

    @Test
    void files_areACopyThatCannotBeModified() {
        List<UploadRecord.FileRecord> files = new ArrayList<>();
        UploadRecord record = new UploadRecord("id", Route.Kind.BUFFERED, "r", files);
        files.add(new UploadRecord.FileRecord("a", "a", null, 1, null, null));
        assertEquals(List.of(), record.files());
        assertThrows(UnsupportedOperationException.class, () -> record.files().add(null));
    }

    @Test
    void of_inMemoryFile_hasNoStoragePath() throws IOException {
        UploadRecord record = UploadRecord.of("id", Route.Kind.BUFFERED, "r",
                List.of(new ReceivedPart("f", "f.txt", null, headers(), PartContent.ofBytes(new byte[1]), null)));
        assertNull(record.files().get(0).storagePath());
    }
}
