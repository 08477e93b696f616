package io.spillway.core.upload;

import io.spillway.core.multipart.PartHeaders;

/**
 * One part of a received upload, stored along its route.
 *
 * @param name        the form field name
 * @param fileName    the sanitized file name for a file part ({@code ""} when the browser sent an
 *                    empty file input), or null for a plain field
 * @param contentType the part's declared content type, or null
 * @param headers     the part's headers as sent
 * @param content     the stored bytes
 * @param digest      hex digest of the bytes when a digest algorithm is configured, else null
 */
public record ReceivedPart(String name, String fileName, String contentType, PartHeaders headers,
                           PartContent content, String digest) {

    /** Whether this part carries a file. */
    public boolean isFile() {
        return fileName != null;
    }

    /** The content's size in bytes. */
    public long size() {
        return content.size();
    }
}
