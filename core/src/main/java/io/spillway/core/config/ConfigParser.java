package io.spillway.core.config;

import io.spillway.core.storage.ResumableStoreProvider;
import io.spillway.core.storage.ResumableStores;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns {@code name=value} strings (a filter's init-params) into a {@link SpillwayConfig}.
 *
 * <p>Every problem is collected before anything is thrown, so a user fixes a {@code web.xml}
 * once: unknown names, malformed values and values out of range are all reported together in
 * one {@link InvalidConfigException}, each naming the parameter, echoing the value and showing a
 * good example. Nothing is silently corrected.
 */
public final class ConfigParser {

    private final Map<String, Param<?>> parameters = new LinkedHashMap<>();
    private final Map<String, ResumableStoreProvider> providers;

    /** A parser that knows the storage providers on core's class path. */
    public ConfigParser() {
        this(ResumableStores.providers());
    }

    /**
     * A parser that knows the given storage providers and their init-params.
     *
     * @param providers by {@link ResumableStoreProvider#name()}
     */
    public ConfigParser(Map<String, ResumableStoreProvider> providers) {
        this.providers = Map.copyOf(providers);
        Param.ALL.forEach(parameter -> parameters.put(parameter.name(), parameter));
    }

    /** The names this parser understands, in documentation order, then the storage providers' names. */
    public Set<String> names() {
        Set<String> names = new java.util.LinkedHashSet<>(parameters.keySet());
        providers.values().forEach(provider -> names.addAll(new TreeSet<>(provider.parameterNames())));
        return Collections.unmodifiableSet(names);
    }

    /**
     * Parses the given values over the defaults. When {@code maxFileSize} is not given, it follows a
     * smaller {@code maxRequestSize} down (no file can be larger than the request that carries it).
     *
     * @param values    parameter name to raw value; names in {@code ignored} are skipped
     * @param ignored   names that belong to another component (for example the filter's own switches)
     * @throws InvalidConfigException listing every problem, when there is at least one
     */
    public SpillwayConfig parse(Map<String, String> values, Set<String> ignored) {
        SpillwayConfig.Builder builder = SpillwayConfig.custom();
        List<String> problems = new ArrayList<>();
        Map<String, String> storageParameters = new LinkedHashMap<>();
        Set<String> applied = new HashSet<>();
        Set<String> malformed = new HashSet<>();
        for (String name : new TreeSet<>(values.keySet())) {
            if (ignored.contains(name)) {
                continue;
            }
            Param<?> parameter = parameters.get(name);
            if (parameter == null && claimedByProvider(name)) {
                storageParameters.put(name, values.get(name));
                continue;
            }
            if (parameter == null) {
                problems.add("unknown parameter " + name + "; known parameters are " + String.join(", ", names()));
                continue;
            }
            String problem = parameter == Param.STORAGE ? storageProblem(values.get(name)) : null;
            if (problem == null) {
                problem = parameter.applyTo(builder, values.get(name));
            }
            if (problem != null) {
                problems.add(problem);
                malformed.add(name);
            } else {
                applied.add(name);
            }
        }
        SpillwayConfig config = builder.storageParameters(storageParameters).build();
        if (!applied.contains(Param.MAX_FILE_SIZE.name()) && config.maxFileSize() > config.maxRequestSize()) {
            config = config.toBuilder().maxFileSize(config.maxRequestSize()).build();
        }
        if (!malformed.contains(Param.MAX_FILE_SIZE.name()) && !malformed.contains(Param.MAX_REQUEST_SIZE.name())) {
            checkConsistency(config, problems);
        }
        checkStorage(config, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return config;
    }

    /** Parses the given values over the defaults; every name must be known. */
    public SpillwayConfig parse(Map<String, String> values) {
        return parse(values, Set.of());
    }

    private static void checkConsistency(SpillwayConfig c, List<String> problems) {
        if (c.maxFileSize() > c.maxRequestSize()) {
            problems.add(Param.MAX_FILE_SIZE + " must not exceed " + Param.MAX_REQUEST_SIZE + ": "
                    + Sizes.format(c.maxFileSize()) + " > " + Sizes.format(c.maxRequestSize()));
        }
    }

    private boolean claimedByProvider(String name) {
        return providers.values().stream().anyMatch(provider -> provider.parameterNames().contains(name));
    }

    private void checkStorage(SpillwayConfig c, List<String> problems) {
        ResumableStoreProvider provider = providers.get(c.storage());
        for (String name : c.storageParameters().keySet()) {
            if (provider == null || !provider.parameterNames().contains(name)) {
                String owner = providers.values().stream().filter(p -> p.parameterNames().contains(name))
                        .map(ResumableStoreProvider::name).findFirst().orElse("?");
                problems.add(name + " applies only with " + Param.STORAGE + "=" + owner + ", but " + Param.STORAGE + " is "
                        + c.storage());
            }
        }
        if (provider != null) {
            problems.addAll(provider.check(c.storageParameters()));
        }
        if (SpillwayConfig.STREAMED_STORAGE_STORE.equals(c.streamedStorage())
                && SpillwayConfig.STORAGE_LOCAL.equals(c.storage())) {
            problems.add(Param.STREAMED_STORAGE + "=" + SpillwayConfig.STREAMED_STORAGE_STORE
                    + " needs storage set to an object store, but storage is local; example: " + Param.STORAGE + "=s3");
        }
    }

    private List<String> storageNames() {
        List<String> names = new ArrayList<>();
        names.add(SpillwayConfig.STORAGE_LOCAL);
        names.addAll(new TreeSet<>(providers.keySet()));
        return names;
    }

    /** Null when the storage named is local or a provider on the class path . */
    private String storageProblem(String raw) {
        String shown = raw == null ? "" : raw;
        String storage = Param.STORAGE.parse(shown);
        if (storage.equals(SpillwayConfig.STORAGE_LOCAL) || providers.containsKey(storage)) {
            return null;
        }
        return Param.STORAGE.problem(shown, "must be " + String.join(" or ", storageNames()) + storageHint(storage));
    }

    private static String storageHint(String value) {
        return value.matches("[a-z0-9]+") ? " (storage=" + value + " needs spillway-" + value
                + ".jar on the class path)" : "";
    }
}
