package io.spillway.servlet;

import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.upload.MultipartReceiver;
import io.spillway.servlet.resumable.ResumableProtocols;
import java.io.IOException;
import java.time.Clock;
import java.util.List;

/** The resumable protocols the filter answers itself. */
final class Protocols {

    private Protocols() {
    }

    static List<UploadProtocol> create(SpillwayConfig config, TempStorage storage, Clock clock,
                                       MultipartReceiver multipart) throws IOException {
        return ResumableProtocols.create(config, storage.root(), clock, multipart);
    }
}
