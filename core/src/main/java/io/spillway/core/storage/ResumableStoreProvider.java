package io.spillway.core.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A kind of {@link ResumableStore} that a separate jar adds, found with {@link java.util.ServiceLoader}
 * and chosen by the {@code storage} init-param (for example {@code storage=s3} with
 * {@code spillway-s3.jar} in {@code WEB-INF/lib}). Core and the filter never depend on the jar:
 * without it, {@code storage=s3} fails {@code init()} with a message that says so.
 *
 * <p>Implementations are listed in
 * {@code META-INF/services/io.spillway.core.storage.ResumableStoreProvider}.
 */
public interface ResumableStoreProvider {

    /** The value of the {@code storage} init-param that selects this provider, lower case. */
    String name();

    /** The init-params this provider reads, camelCase and starting with its name ({@code s3Bucket}). */
    Set<String> parameterNames();

    /**
     * Checks the values given for {@link #parameterNames()} without touching the network.
     *
     * @return one message per problem, each naming the parameter and echoing the value; empty when fine
     */
    List<String> check(Map<String, String> parameters);

    /**
     * Opens the store.
     *
     * @param parameters     the values given for {@link #parameterNames()}, already checked
     * @param localDirectory a private directory of this server for files the store hands out
     *                       ({@link ResumableStore#materialize})
     */
    ResumableStore open(Map<String, String> parameters, Path localDirectory) throws IOException;
}
