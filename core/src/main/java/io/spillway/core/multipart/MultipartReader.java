package io.spillway.core.multipart;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a multipart body one part at a time, in a bounded buffer.
 *
 * <p>Usage: call {@link #nextPart()} until it returns {@code null}; after each call
 * {@link #content()} streams that part's bytes and ends where the part ends. Unread content is
 * skipped by the next {@link #nextPart()}. A body that is truncated or lacks its closing
 * boundary ends in {@link MalformedMultipartException}, never in a silent short part.
 */
public interface MultipartReader {

    /**
     * Advances to the next part.
     *
     * @return its headers, or {@code null} after the closing boundary
     * @throws MalformedMultipartException on broken structure (400)
     * @throws io.spillway.core.UploadRejectedException on a part header block over the limit (413)
     */
    PartHeaders nextPart() throws IOException;

    /**
     * The current part's content. Reading it to the end stops at the part's boundary; reads
     * fail with {@link MalformedMultipartException} when the body ends before the boundary.
     */
    InputStream content();
}
