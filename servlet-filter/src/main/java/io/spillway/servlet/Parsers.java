package io.spillway.servlet;

import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.multipart.MultipartParser;

/** Chooses the multipart parser of the streamed route from the {@code parser} init-param. */
final class Parsers {

    private Parsers() {
    }

    static MultipartParser streaming(SpillwayConfig config, MultipartParser fileUpload2) {
        return fileUpload2;
    }
}
