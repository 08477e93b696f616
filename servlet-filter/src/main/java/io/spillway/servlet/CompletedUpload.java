package io.spillway.servlet;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A file that a resumable protocol has fully assembled on disk, ready to go down the filter chain
 * as one ordinary {@code Part}.
 *
 * @param uploadId    the protocol's upload id (also the progress id)
 * @param fieldName   the name of the {@code Part} the application receives
 * @param fileName    the sanitized file name (metadata only)
 * @param contentType the declared content type, or {@code application/octet-stream}
 * @param file        the assembled bytes; the filter deletes this file after the chain returns
 *                    unless the application moved it with {@code Part.write}
 * @param size        the file's size in bytes
 * @param fields      plain form fields that came with the completing request
 * @param afterChain  run by the filter once the chain has returned (or failed), on every path:
 *                    deletes the session state and whatever else the protocol kept
 */
public record CompletedUpload(String uploadId, String fieldName, String fileName, String contentType,
                              Path file, long size, Map<String, List<String>> fields, Runnable afterChain) {
}
