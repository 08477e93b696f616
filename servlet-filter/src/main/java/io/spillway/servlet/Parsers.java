package io.spillway.servlet;

import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.multipart.FastMultipartParser;
import io.spillway.core.multipart.MultipartParser;

/**
 * Chooses the multipart parser of each route. The streamed route uses Spillway's skip-search
 * parser unless {@code parser=fileupload2}; the buffered route (small bodies, already bounded by
 * their reservation) always uses FileUpload2, the long-proven reference the fast parser is tested
 * against.
 */
final class Parsers {

    private Parsers() {
    }

    static MultipartParser streaming(SpillwayConfig config, MultipartParser fileUpload2) {
        return SpillwayConfig.PARSER_FILEUPLOAD2.equals(config.parser()) ? fileUpload2 : new FastMultipartParser();
    }
}
