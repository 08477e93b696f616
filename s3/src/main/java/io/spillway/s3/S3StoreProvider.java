package io.spillway.s3;

import io.spillway.core.storage.ResumableStore;
import io.spillway.core.storage.ResumableStoreProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code storage=s3}: resumable uploads in an S3-compatible object store, so that several servers
 * behind one load balancer share them. Registered for {@link java.util.ServiceLoader}.
 */
public final class S3StoreProvider implements ResumableStoreProvider {

    /** The value of the {@code storage} init-param. */
    public static final String NAME = "s3";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> parameterNames() {
        return S3Settings.NAMES;
    }

    @Override
    public List<String> check(Map<String, String> parameters) {
        return S3Settings.check(parameters);
    }

    @Override
    public ResumableStore open(Map<String, String> parameters, Path localDirectory) throws IOException {
        return S3ResumableStore.open(S3Settings.from(parameters), localDirectory);
    }
}
