package io.spillway.core.upload;

import java.io.IOException;
import java.util.Map;

/**
 * A remote {@link SpillTarget} that a separate jar adds, found with {@link java.util.ServiceLoader}
 * like {@link io.spillway.core.storage.ResumableStoreProvider}: with {@code streamedStorage=store},
 * the provider whose {@link #name()} equals the {@code storage} init-param receives the streamed
 * parts, configured by that storage's init-params (already checked by its
 * {@code ResumableStoreProvider}).
 *
 * <p>Implementations are listed in
 * {@code META-INF/services/io.spillway.core.upload.SpillTargetProvider}.
 */
public interface SpillTargetProvider {

    /** The value of the {@code storage} init-param this provider serves, lower case. */
    String name();

    /**
     * Opens the target.
     *
     * @param parameters   the storage's init-params, already checked
     * @param reservations where part buffers reserve their memory
     */
    SpillTarget open(Map<String, String> parameters, BufferReservations reservations) throws IOException;
}
