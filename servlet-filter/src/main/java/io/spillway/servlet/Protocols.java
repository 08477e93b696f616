package io.spillway.servlet;

import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.storage.TempStorage;
import java.time.Clock;
import java.util.List;

/** The resumable protocols the filter answers itself. */
final class Protocols {

    private Protocols() {
    }

    static List<UploadProtocol> create(SpillwayConfig config, TempStorage storage, Clock clock) {
        return List.of();
    }
}
