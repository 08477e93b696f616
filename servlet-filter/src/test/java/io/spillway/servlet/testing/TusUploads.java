package io.spillway.servlet.testing;

import io.tus.java.client.TusUpload;
import java.util.Map;

/** What tus-java-client uploads in the tests: a generated file, with a name and type as tus metadata. */
public final class TusUploads {

    private TusUploads() {
    }

    /**
     * {@code size} bytes of {@link GeneratedStream} {@code seed}, fingerprinted by seed and size so
     * that a fresh client finds the same upload again.
     */
    public static TusUpload generated(long seed, long size, String fileName, String fileType) {
        TusUpload upload = new TusUpload();
        upload.setSize(size);
        upload.setInputStream(new GeneratedStream(seed, size));
        upload.setFingerprint("generated-" + seed + "-" + size);
        upload.setMetadata(Map.of("filename", fileName, "filetype", fileType));
        return upload;
    }
}
