package io.spillway.servlet;

import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.multipart.FastMultipartParser;
import io.spillway.core.multipart.MultipartParser;

/**
 * Chooses the multipart parser of both routes. Spillway's skip-search parser is the default: it
 * scans for the boundary over whole buffers and is several times cheaper per byte and per part
 * than FileUpload2's byte-by-byte loop, which matters for the many small bodies of the buffered
 * route as much as for the large ones of the streamed route. {@code parser=fileupload2} switches
 * both routes back to FileUpload2, the long-proven reference the fast parser is tested against.
 */
final class Parsers {

    private Parsers() {
    }

    static MultipartParser forRoutes(SpillwayConfig config) {
        return SpillwayConfig.PARSER_FILEUPLOAD2.equals(config.parser()) ? new FileUpload2Parser() : new FastMultipartParser();
    }
}
