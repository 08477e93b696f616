package io.spillway.core.resumable;

import java.util.Objects;

/**
 * What a client declared when it started an upload.
 *
 * @param protocol    {@link UploadState#CONTENT_RANGE}, {@link UploadState#TUS} or {@link UploadState#IETF}
 * @param total       the declared length of the file, or {@link UploadState#UNKNOWN_LENGTH} (IETF only)
 * @param fileName    the sanitized file name
 * @param fieldName   the name of the Part the application will receive
 * @param contentType the declared content type
 * @param metadata    the tus {@code Upload-Metadata} as sent, or null
 * @param owner       digest of the authenticated user, or null for anonymous uploads
 * @param resumeKey   digest of (scope, file name, total) to find the upload again by name, or null
 */
public record NewUpload(String protocol, long total, String fileName, String fieldName, String contentType,
                        String metadata, String owner, String resumeKey) {

    public NewUpload {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(fieldName, "fieldName");
        Objects.requireNonNull(contentType, "contentType");
    }
}
