package io.spillway.core.upload;

import io.spillway.core.routing.Route;
import java.nio.file.Path;
import java.util.List;

/**
 * The facts of one upload that the application can read from the request attribute
 * {@code io.spillway.upload}: the route taken, why, and each file's size, storage path and digest.
 *
 * @param uploadId the upload's id (also its progress id)
 * @param route    BUFFERED or STREAMED
 * @param reason   the routing reason in words
 * @param files    the file parts, in the order they arrived
 */
public record UploadRecord(String uploadId, Route.Kind route, String reason, List<FileRecord> files) {

    public UploadRecord {
        files = List.copyOf(files);
    }

    /**
     * One stored file.
     *
     * @param fieldName   the form field name
     * @param fileName    the sanitized file name
     * @param contentType the declared content type, or null
     * @param size        bytes stored
     * @param storagePath the temp file holding it, or null when it is in memory
     * @param digest      hex digest when a digest algorithm is configured, else null
     */
    public record FileRecord(String fieldName, String fileName, String contentType, long size, Path storagePath,
                             String digest) {
    }

    /** Builds the record of received parts (file parts only). */
    public static UploadRecord of(String uploadId, Route.Kind route, String reason, List<ReceivedPart> parts) {
        List<FileRecord> files = parts.stream().filter(ReceivedPart::isFile)
                .map(p -> new FileRecord(p.name(), p.fileName(), p.contentType(), p.size(), p.content().file(), p.digest()))
                .toList();
        return new UploadRecord(uploadId, route, reason, files);
    }

    @Override
    public String toString() {
        return route + ": " + reason;
    }
}
