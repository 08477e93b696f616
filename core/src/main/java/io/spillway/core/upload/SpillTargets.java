package io.spillway.core.upload;

import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.storage.TempStorage;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds and opens the {@link SpillTarget} a configuration asks for: temp files by default, or with
 * {@code streamedStorage=store} the {@link SpillTargetProvider} named by {@code storage}.
 */
public final class SpillTargets {

    private SpillTargets() {
    }

    /** Every provider on the class path of core, by name. */
    public static Map<String, SpillTargetProvider> providers() {
        Map<String, SpillTargetProvider> byName = new LinkedHashMap<>();
        ServiceLoader.load(SpillTargetProvider.class, SpillTargetProvider.class.getClassLoader())
                .forEach(provider -> byName.putIfAbsent(provider.name(), provider));
        return byName;
    }

    /**
     * Opens the target of {@code config.streamedStorage()}.
     *
     * @param storage      the private temp directory, for {@link SpillwayConfig#STREAMED_STORAGE_LOCAL}
     * @param reservations where a remote target's part buffers reserve memory
     * @throws IOException when the provider is missing or cannot open its store
     */
    public static SpillTarget open(SpillwayConfig config, TempStorage storage, BufferReservations reservations)
            throws IOException {
        if (!SpillwayConfig.STREAMED_STORAGE_STORE.equals(config.streamedStorage())) {
            return SpillTarget.tempFiles(storage);
        }
        SpillTargetProvider provider = providers().get(config.storage());
        if (provider == null) {
            throw new IOException("streamedStorage=store needs a jar that stores streamed parts for storage="
                    + config.storage() + "; none is on the class path");
        }
        return provider.open(config.storageParameters(), reservations);
    }
}
