package io.spillway.servlet.hardening;

import io.spillway.servlet.testing.PartsEchoServlet;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Targets started on first use and kept for the test class (Tomcat takes a while to start), one per
 * mode and parameter set. Registered as a static extension, it closes them after the class's last
 * test, so that no test class writes its own {@code @AfterAll} for them.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Targets TARGETS = new Targets();
 * }</pre>
 */
final class Targets implements AutoCloseable, AfterAllCallback {

    private final Map<String, Target> started = new LinkedHashMap<>();
    private final Supplier<HttpServlet> application;
    private final Path root;

    /** Targets whose application is {@link PartsEchoServlet}. */
    Targets() {
        this(PartsEchoServlet::new);
    }

    /** Targets whose application is made by {@code application}. */
    Targets(Supplier<HttpServlet> application) {
        this.application = application;
        try {
            root = Files.createTempDirectory("spillway-hardening-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The target forcing {@code mode} with the suite's defaults. */
    Target get(Mode mode) {
        return get(mode, Map.of());
    }

    /** The target forcing {@code mode} with extra init-params. */
    synchronized Target get(Mode mode, Map<String, String> params) {
        Map<String, String> all = new TreeMap<>(mode.params());
        all.putAll(params);
        String key = all.toString();
        return started.computeIfAbsent(key, k -> Target.start(root.resolve("spill-" + started.size()), all,
                application.get(), Target.PLENTY));
    }

    /** A fresh directory for a test's own files. */
    Path newDirectory(String name) {
        try {
            return Files.createTempDirectory(root, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public synchronized void close() {
        started.values().forEach(Target::close);
        started.clear();
        io.spillway.servlet.testing.TestServer.deleteTree(root);
    }
}
