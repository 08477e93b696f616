package io.spillway.spring.boot;

import io.spillway.core.config.ConfigParser;
import io.spillway.core.config.InvalidConfigException;
import io.spillway.core.config.Param;
import io.spillway.core.config.Sizes;
import io.spillway.core.config.SpillwayConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The filter's init-params, read from {@code spillway.*} properties: the same names in Spring's
 * kebab case ({@code spillway.max-file-size=4GB} is {@code maxFileSize}), the same units, and
 * validated by the same parser as {@code web.xml}, with the same messages, before the web server
 * starts. Two keys belong to the starter: {@code spillway.enabled} and {@code spillway.url-patterns}.
 * Other {@code spillway.*} names are ignored with a warning that lists the known ones, as Boot
 * ignores unknown fields of its own properties (an environment variable {@code SPILLWAY_HOME}
 * binds as {@code spillway.home}, and must not stop the application).
 *
 * <p>Spring's {@code spring.servlet.multipart.max-file-size} and {@code max-request-size} would
 * otherwise be silently ignored on Spillway's paths (Spillway parses the body there, not the
 * container), so each one that is set explicitly becomes Spillway's limit unless the
 * {@code spillway.*} property is set too, which wins. {@link #describe()} says at start-up which
 * applies.
 */
final class SpillwaySettings {

    private static final Log LOG = LogFactory.getLog(SpillwaySettings.class);

    static final String PREFIX = "spillway";
    static final List<String> DEFAULT_URL_PATTERNS = List.of("/upload", "/upload/*");

    private static final Set<String> STARTER_KEYS = Set.of("enabled", "url-patterns");
    private static final Map<String, String> SPRING_MULTIPART = Map.of(
            Param.MAX_FILE_SIZE.name(), "spring.servlet.multipart.max-file-size",
            Param.MAX_REQUEST_SIZE.name(), "spring.servlet.multipart.max-request-size");

    private final Map<String, String> initParameters;
    private final List<String> urlPatterns;
    private final SpillwayConfig config;
    private final Map<String, String> sources;

    private SpillwaySettings(Map<String, String> initParameters, List<String> urlPatterns, SpillwayConfig config,
                             Map<String, String> sources) {
        this.initParameters = initParameters;
        this.urlPatterns = urlPatterns;
        this.config = config;
        this.sources = sources;
    }

    /**
     * Reads and validates the settings.
     *
     * @throws IllegalStateException naming every bad value, so the application does not start
     */
    static SpillwaySettings from(Environment environment) {
        Map<String, String> raw = Binder.get(environment)
                .bind(PREFIX, Bindable.mapOf(String.class, String.class)).orElse(Map.of());
        ConfigParser parser = new ConfigParser();
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            if (STARTER_KEYS.contains(entry.getKey())) {
                continue;
            }
            String name = initParameterName(parser.names(), entry.getKey());
            if (name == null) {
                unknown.add(PREFIX + "." + entry.getKey());
            } else {
                params.put(name, entry.getValue());
                sources.put(name, PREFIX + "." + kebab(name));
            }
        }
        if (!unknown.isEmpty()) {
            LOG.warn("ignoring unknown Spillway properties " + unknown + "; known are spillway.enabled, "
                    + "spillway.url-patterns and " + parser.names().stream().map(n -> PREFIX + "." + kebab(n)).toList());
        }
        SPRING_MULTIPART.forEach((name, springKey) -> {
            if (!params.containsKey(name) && environment.containsProperty(springKey)) {
                params.put(name, environment.getProperty(springKey));
                sources.put(name, springKey);
            }
        });
        try {
            SpillwayConfig config = parser.parse(params);
            return new SpillwaySettings(Map.copyOf(params), urlPatterns(raw.get("url-patterns")), config, sources);
        } catch (InvalidConfigException e) {
            throw new IllegalStateException("invalid Spillway configuration (spillway.* properties): "
                    + e.getMessage(), e);
        }
    }

    /** The init-params to hand to the filter. */
    Map<String, String> initParameters() {
        return initParameters;
    }

    /** Where the filter is mapped. */
    List<String> urlPatterns() {
        return urlPatterns;
    }

    /** The start-up line: where Spillway parses bodies and which limits apply there, from where. */
    String describe() {
        return "Spillway parses multipart and resumable uploads on " + urlPatterns + " before Spring does; there "
                + limit(Param.MAX_FILE_SIZE) + " and " + limit(Param.MAX_REQUEST_SIZE) + " apply, and spring.servlet.multipart.* limits do not";
    }

    private String limit(Param<Long> size) {
        return size + "=" + Sizes.format(size.valueIn(config)) + " (" + source(size.name()) + ")";
    }

    private String source(String name) {
        return sources.getOrDefault(name, "Spillway's default");
    }

    private static List<String> urlPatterns(String configured) {
        if (configured == null || configured.isBlank()) {
            return DEFAULT_URL_PATTERNS;
        }
        return Arrays.stream(configured.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
    }

    /**
     * The init-param a bound key stands for: {@code max-file-size} (kebab case), or
     * {@code maxfilesize} (Spring's form of {@code maxFileSize}); null when none.
     */
    private static String initParameterName(Set<String> names, String key) {
        String flat = key.replace("-", "").toLowerCase(Locale.ROOT);
        for (String name : names) {
            if (name.toLowerCase(Locale.ROOT).equals(flat)) {
                return name;
            }
        }
        return null;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
