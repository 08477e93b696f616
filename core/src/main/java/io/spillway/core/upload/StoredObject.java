package io.spillway.core.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The bytes of one part kept in a remote store (an object in a bucket), as {@link PartContent}
 * sees them: read them, copy them to a local file, delete them. Implemented by the jar that
 * supplies the {@link SpillTarget}.
 */
public interface StoredObject {

    /** Reads the object from its first byte. */
    InputStream open() throws IOException;

    /**
     * Copies the object to {@code target}, replacing it; on failure, no partial {@code target} is
     * left.
     */
    void copyTo(Path target) throws IOException;

    /** Deletes the object; idempotent, never throws (a failure is logged and left to the store's sweeper). */
    void delete();

    /** Where the object is, for logs and records, such as {@code s3://bucket/key}. */
    String location();
}
