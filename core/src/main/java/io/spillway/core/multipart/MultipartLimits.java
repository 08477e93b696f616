package io.spillway.core.multipart;

/**
 * Limits a multipart parser enforces itself, while it reads.
 *
 * @param maxPartHeaderSize largest header block of one part, in bytes
 */
public record MultipartLimits(int maxPartHeaderSize) {

    public MultipartLimits {
        if (maxPartHeaderSize < 1) {
            throw new IllegalArgumentException("maxPartHeaderSize must be at least 1: " + maxPartHeaderSize);
        }
    }
}
