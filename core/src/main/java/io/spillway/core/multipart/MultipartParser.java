package io.spillway.core.multipart;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens a streaming reader over a {@code multipart/*} body. Two implementations sit behind this
 * one interface so that they can be swapped and compared: a FileUpload2-backed one in the servlet
 * module and Spillway's own skip-search parser.
 */
public interface MultipartParser {

    /**
     * Opens a reader.
     *
     * @param body     the body, positioned at its first byte; the reader does not close it
     * @param boundary the boundary from the Content-Type, without the leading {@code --}
     * @param limits   limits the parser itself must enforce
     * @throws MalformedMultipartException when the boundary is unusable
     */
    MultipartReader open(InputStream body, byte[] boundary, MultipartLimits limits) throws IOException;
}
