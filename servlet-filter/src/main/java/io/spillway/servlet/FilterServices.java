package io.spillway.servlet;

import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.memory.SampledMemoryProbe;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.upload.DiskGuard;
import java.util.function.Supplier;

/**
 * What the request handlers of one filter ({@link MultipartUploads}, {@link ResumableRequests})
 * share, made once by {@code init}.
 *
 * @param settings   the live configuration and policy, read once per decision
 * @param probe      the sampled memory measurements
 * @param operations uploads in flight, progress, counters
 * @param answers    how a refusal is answered
 * @param deliveries how a received upload reaches the application
 * @param storage    the private temp directory
 */
record FilterServices(Supplier<FilterSettings> settings, SampledMemoryProbe probe, UploadOperations operations,
                      Answers answers, Deliveries deliveries, TempStorage storage) {

    /** The free disk a body may not eat into: the storage's usable space, less the reserve. */
    DiskGuard diskGuard(SpillwayConfig config) {
        return new DiskGuard(storage::usableSpace, config.diskReserve());
    }
}
