package io.spillway.s3;

import io.spillway.core.storage.ResumableStore;
import io.spillway.core.storage.ResumableStoreProvider;
import io.spillway.core.upload.BufferReservations;
import io.spillway.core.upload.SpillTarget;
import io.spillway.core.upload.SpillTargetProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code storage=s3}: resumable uploads in an S3-compatible object store, so that several servers
 * behind one load balancer share them, and with {@code streamedStorage=store} the streamed parts of
 * single-request uploads too. Registered for {@link java.util.ServiceLoader} as both providers.
 */
public final class S3StoreProvider implements ResumableStoreProvider, SpillTargetProvider {

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

    @Override
    public SpillTarget open(Map<String, String> parameters, BufferReservations reservations) throws IOException {
        return S3SpillTarget.open(S3Settings.from(parameters), reservations);
    }
}
