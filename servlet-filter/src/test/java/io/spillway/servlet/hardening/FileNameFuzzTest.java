package io.spillway.servlet.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spillway.core.multipart.ContentDisposition;
import io.spillway.core.multipart.MalformedMultipartException;
import io.spillway.core.storage.FileNames;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes file-name handling (THREATS.md 10): whatever a client puts in a name, and however it is
 * encoded, {@link FileNames#sanitize} gives a safe base name ({@link SafeNames}), and a
 * {@code filename*} value cannot smuggle a separator past it.
 *
 * <p>Plain {@code mvn test} runs the inputs in {@code FileNameFuzzTestInputs} (regression mode);
 * {@code JAZZER_FUZZ=1} fuzzes (see the README of the hardening suite).
 */
class FileNameFuzzTest {

    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"..", "/", "\\", ":", "::$DATA", "CON", "lpt1", "%2F", "%5C", "%00", "%0D%0A", "\u202E", " ."})
    void sanitize_givesASafeBaseName_whateverTheBytes(byte[] raw) {
        String utf8 = new String(raw, StandardCharsets.UTF_8);
        SafeNames.assertSafe(utf8, FileNames.sanitize(utf8));
        String utf16 = new String(raw, StandardCharsets.UTF_16BE);
        SafeNames.assertSafe(utf16, FileNames.sanitize(utf16));
        String latin1 = new String(raw, StandardCharsets.ISO_8859_1);
        SafeNames.assertSafe(latin1, FileNames.sanitize(latin1));
    }

    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"filename=\"", "filename*=UTF-8''", "filename*=ISO-8859-1''", "\\\"", "%2F", "%5C", "%00", ";"})
    void contentDisposition_givesANameThatSanitizesSafely(byte[] raw) {
        String header = "form-data; name=\"doc\"; " + new String(raw, StandardCharsets.ISO_8859_1);
        ContentDisposition disposition;
        try {
            disposition = ContentDisposition.parse(header);
        } catch (MalformedMultipartException refused) {
            assertEquals(400, refused.status());
            return;
        }
        String fileName = disposition.fileName();
        if (fileName != null) {
            SafeNames.assertSafe(fileName, FileNames.sanitize(fileName));
            assertTrue(disposition.isFile(), header);
        }
    }
}
