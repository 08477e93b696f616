package io.spillway.sample;

import io.spillway.core.upload.UploadRecord;

/**
 * The route Spillway took for a request, read from the {@link UploadRecord} that the filter
 * leaves in the request attribute {@value #ATTRIBUTE}.
 *
 * @param kind   {@code BUFFERED} or {@code STREAMED}; {@code NONE} when the request carried no
 *               record (the filter is not mapped to this URL)
 * @param reason why, in words
 */
public record UploadRoute(String kind, String reason) {

    /** The request attribute holding the upload's facts (DESIGN.md, public contract). */
    public static final String ATTRIBUTE = "io.spillway.upload";

    /** Reads the facts the filter left on the request. */
    public static UploadRoute of(Object facts) {
        if (facts instanceof UploadRecord record) {
            return new UploadRoute(record.route().name(), record.reason());
        }
        if (facts == null) {
            return new UploadRoute("NONE", "the request carried no spillway facts");
        }
        return new UploadRoute("UNKNOWN", String.valueOf(facts));
    }
}
