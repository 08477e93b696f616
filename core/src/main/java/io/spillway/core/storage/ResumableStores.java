package io.spillway.core.storage;

import io.spillway.core.config.SpillwayConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds and opens the {@link ResumableStore} a configuration asks for: the local disk by default,
 * or a {@link ResumableStoreProvider} on the class path by its name.
 */
public final class ResumableStores {

    /** Subdirectory of the temp root for the files a remote store hands out. */
    public static final String REMOTE_DIRECTORY = "remote";

    private ResumableStores() {
    }

    /** Every provider on the class path of core, by name. */
    public static Map<String, ResumableStoreProvider> providers() {
        Map<String, ResumableStoreProvider> byName = new LinkedHashMap<>();
        ServiceLoader.load(ResumableStoreProvider.class, ResumableStoreProvider.class.getClassLoader())
                .forEach(provider -> byName.putIfAbsent(provider.name(), provider));
        return byName;
    }

    /**
     * Opens the store of {@code config.storage()}: a {@link LocalResumableStore} under
     * {@code tempRoot} for {@link SpillwayConfig#STORAGE_LOCAL}, else the named provider's store with
     * its local files under {@code <tempRoot>/remote/}.
     *
     * @throws IOException when the provider is missing or cannot open its store
     */
    public static ResumableStore open(SpillwayConfig config, Path tempRoot) throws IOException {
        if (SpillwayConfig.STORAGE_LOCAL.equals(config.storage())) {
            return LocalResumableStore.open(tempRoot);
        }
        ResumableStoreProvider provider = providers().get(config.storage());
        if (provider == null) {
            throw new IOException("storage=" + config.storage() + " needs its jar (spillway-" + config.storage()
                    + ") on the class path");
        }
        return provider.open(config.storageParameters(), tempRoot.resolve(REMOTE_DIRECTORY));
    }
}
