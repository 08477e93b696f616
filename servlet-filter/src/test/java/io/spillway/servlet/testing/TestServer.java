package io.spillway.servlet.testing;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * An embedded Tomcat (11 here, 10.1 in the container suite) on 127.0.0.1 with an ephemeral port,
 * one filter and some servlets: the real HTTP stack every filter test runs against.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.builder()
 *         .filter(new MemoryAwareUploadFilter(), Map.of("maxFileSize", "10MB"), "/upload/*", "/upload")
 *         .servlet("/upload/*", new PartsEchoServlet())
 *         .start()) { ... server.uri("/upload") ... }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {

    private final Tomcat tomcat;
    private final Path baseDir;
    private final Context context;

    private TestServer(Tomcat tomcat, Path baseDir, Context context) {
        this.tomcat = tomcat;
        this.baseDir = baseDir;
        this.context = context;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port Tomcat listens on. */
    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    /** An absolute URI on this server. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** The servlet context (to read attributes the filter published). */
    public jakarta.servlet.ServletContext servletContext() {
        return context.getServletContext();
    }

    /** Request threads of the connector busy with a request right now. */
    public int busyThreads() {
        java.util.concurrent.Executor executor = tomcat.getConnector().getProtocolHandler().getExecutor();
        if (executor instanceof java.util.concurrent.ThreadPoolExecutor pool) {
            return pool.getActiveCount();
        }
        if (executor instanceof org.apache.tomcat.util.threads.ThreadPoolExecutor pool) {
            return pool.getActiveCount();
        }
        throw new IllegalStateException("unknown executor " + executor);
    }

    /** Whether a stop has begun and not yet ended. */
    public boolean isStopping() {
        org.apache.catalina.LifecycleState state = tomcat.getServer().getState();
        return state == org.apache.catalina.LifecycleState.STOPPING_PREP
                || state == org.apache.catalina.LifecycleState.STOPPING;
    }

    /** Tomcat's base directory for this server (removed on close). */
    public Path baseDir() {
        return baseDir;
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteTree(baseDir);
        }
    }

    /** Deletes a directory tree, ignoring what is already gone. */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds and starts a {@link TestServer}. */
    public static final class Builder {
        private Filter filter;
        private Map<String, String> initParams = Map.of();
        private String[] filterPatterns = {"/*"};
        private boolean filterAsyncSupported = true;
        private final Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        private final Map<String, String> connectorAttributes = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder filter(Filter filter, Map<String, String> initParams, String... patterns) {
            this.filter = filter;
            this.initParams = Map.copyOf(initParams);
            this.filterPatterns = patterns.length == 0 ? new String[] {"/*"} : patterns;
            return this;
        }

        /** Declares the filter without {@code <async-supported>} (it is declared async-supported by default). */
        public Builder filterNotAsyncSupported() {
            this.filterAsyncSupported = false;
            return this;
        }

        public Builder servlet(String pattern, HttpServlet servlet) {
            servlets.put(pattern, servlet);
            return this;
        }

        /** Sets a connector property, e.g. {@code connectionTimeout}. */
        public Builder connector(String name, String value) {
            connectorAttributes.put(name, value);
            return this;
        }

        public TestServer start() {
            try {
                Path baseDir = Files.createTempDirectory("spillway-tomcat-");
                Tomcat tomcat = new Tomcat();
                tomcat.setBaseDir(baseDir.toString());
                tomcat.setHostname("127.0.0.1");
                tomcat.setPort(0);
                tomcat.getConnector().setProperty("address", "127.0.0.1");
                connectorAttributes.forEach((k, v) -> tomcat.getConnector().setProperty(k, v));
                Path docBase = Files.createDirectories(baseDir.resolve("webapp"));
                Context context = tomcat.addContext("", docBase.toString());
                int i = 0;
                for (Map.Entry<String, HttpServlet> entry : servlets.entrySet()) {
                    String name = "servlet" + i++;
                    Tomcat.addServlet(context, name, entry.getValue()).setAsyncSupported(true);
                    context.addServletMappingDecoded(entry.getKey(), name);
                }
                if (filter != null) {
                    FilterDef def = new FilterDef();
                    def.setFilterName("spillway");
                    def.setFilter(filter);
                    def.setFilterClass(filter.getClass().getName());
                    def.setAsyncSupported(String.valueOf(filterAsyncSupported));
                    initParams.forEach(def::addInitParameter);
                    context.addFilterDef(def);
                    FilterMap map = new FilterMap();
                    map.setFilterName("spillway");
                    for (String pattern : filterPatterns) {
                        map.addURLPatternDecoded(pattern);
                    }
                    context.addFilterMap(map);
                }
                tomcat.getConnector();
                tomcat.start();
                if (!context.getState().isAvailable()) {
                    tomcat.stop();
                    tomcat.destroy();
                    throw new IllegalStateException("context failed to start (filter init error?)");
                }
                return new TestServer(tomcat, baseDir, context);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (LifecycleException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
