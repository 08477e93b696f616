package io.spillway.core.routing;

/**
 * What is known about an upload before a byte of its body is read.
 *
 * @param declaredLength the declared body length, or {@link #UNKNOWN_LENGTH} (chunked transfer
 *                       encoding)
 */
public record UploadFacts(long declaredLength) {

    public static final long UNKNOWN_LENGTH = -1;

    public static UploadFacts ofLength(long length) {
        return new UploadFacts(length);
    }

    public static UploadFacts unknownLength() {
        return new UploadFacts(UNKNOWN_LENGTH);
    }

    public boolean lengthKnown() {
        return declaredLength >= 0;
    }
}
