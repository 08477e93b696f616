package io.spillway.servlet.testing;

import jakarta.servlet.Filter;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
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
    private boolean closed;

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

    /** Stops Tomcat and removes its base directory; closing again does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
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

    /**
     * Builds and starts a {@link TestServer}: filters in the order given (each on its patterns),
     * servlets, context parameters and listeners, on an ephemeral port unless {@link #port} says
     * otherwise.
     */
    public static final class Builder {
        private final List<FilterDef> filters = new ArrayList<>();
        private final List<ServletDef> servlets = new ArrayList<>();
        private final Map<String, String> connectorAttributes = new LinkedHashMap<>();
        private final Map<String, String> contextParameters = new LinkedHashMap<>();
        private final List<String> listeners = new ArrayList<>();
        private int port;
        private boolean filtersAsyncSupported = true;

        private Builder() {
        }

        /** Declares the filters without {@code <async-supported>} (they are declared async-supported by default). */
        public Builder filterNotAsyncSupported() {
            this.filtersAsyncSupported = false;
            return this;
        }

        /** Adds the filter under test, named {@code spillway}, on the patterns ({@code /*} when none). */
        public Builder filter(Filter filter, Map<String, String> initParams, String... patterns) {
            return filter("spillway", filter, initParams, patterns);
        }

        /** Adds a filter after those added before, on the patterns ({@code /*} when none). */
        public Builder filter(String name, Filter filter, Map<String, String> initParams, String... patterns) {
            filters.add(new FilterDef(name, filter, Map.copyOf(initParams),
                    patterns.length == 0 ? List.of("/*") : List.of(patterns), () -> filtersAsyncSupported));
            return this;
        }

        public Builder servlet(String pattern, HttpServlet servlet) {
            return servlet(servlet, null, pattern);
        }

        /** Adds a servlet on the patterns, with a multipart configuration (null for none). */
        public Builder servlet(HttpServlet servlet, MultipartConfigElement multipart, String... patterns) {
            servlets.add(new ServletDef(servlet, multipart, List.of(patterns)));
            return this;
        }

        /** Sets a connector property, e.g. {@code connectionTimeout}. */
        public Builder connector(String name, String value) {
            connectorAttributes.put(name, value);
            return this;
        }

        /** Sets a context parameter ({@code <context-param>} of a web.xml). */
        public Builder contextParameter(String name, String value) {
            contextParameters.put(name, value);
            return this;
        }

        /** Adds an application listener, by class. */
        public Builder listener(Class<? extends java.util.EventListener> listener) {
            listeners.add(listener.getName());
            return this;
        }

        /** Listens on this port rather than an ephemeral one (a restart on the same address). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Starts Tomcat.
         *
         * @throws IllegalStateException when the context does not start (a filter's init failed)
         */
        public TestServer start() {
            Path baseDir = null;
            try {
                baseDir = Files.createTempDirectory("spillway-tomcat-");
                Tomcat tomcat = new Tomcat();
                tomcat.setBaseDir(baseDir.toString());
                tomcat.setHostname("127.0.0.1");
                tomcat.setPort(port);
                tomcat.getConnector().setProperty("address", "127.0.0.1");
                connectorAttributes.forEach((k, v) -> tomcat.getConnector().setProperty(k, v));
                Path docBase = Files.createDirectories(baseDir.resolve("webapp"));
                Context context = tomcat.addContext("", docBase.toString());
                contextParameters.forEach(context::addParameter);
                listeners.forEach(context::addApplicationListener);
                addServlets(context);
                filters.forEach(filter -> filter.addTo(context));
                tomcat.start();
                TestServer server = new TestServer(tomcat, baseDir, context);
                if (!context.getState().isAvailable()) {
                    server.close();
                    throw new IllegalStateException("context failed to start (filter init error?)");
                }
                return server;
            } catch (IOException | LifecycleException e) {
                deleteTree(baseDir);
                throw new IllegalStateException(e);
            }
        }

        private void addServlets(Context context) {
            int i = 0;
            for (ServletDef servlet : servlets) {
                String name = "servlet" + i++;
                Wrapper wrapper = Tomcat.addServlet(context, name, servlet.servlet());
                wrapper.setAsyncSupported(true);
                if (servlet.multipart() != null) {
                    wrapper.setMultipartConfigElement(servlet.multipart());
                }
                servlet.patterns().forEach(pattern -> context.addServletMappingDecoded(pattern, name));
            }
        }
    }

    private record ServletDef(HttpServlet servlet, MultipartConfigElement multipart, List<String> patterns) {
    }

    private record FilterDef(String name, Filter filter, Map<String, String> initParams, List<String> patterns,
                             java.util.function.BooleanSupplier asyncSupported) {

        void addTo(Context context) {
            org.apache.tomcat.util.descriptor.web.FilterDef def = new org.apache.tomcat.util.descriptor.web.FilterDef();
            def.setFilterName(name);
            def.setFilter(filter);
            def.setFilterClass(filter.getClass().getName());
            def.setAsyncSupported(String.valueOf(asyncSupported.getAsBoolean()));
            initParams.forEach(def::addInitParameter);
            context.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName(name);
            patterns.forEach(map::addURLPatternDecoded);
            context.addFilterMap(map);
        }
    }
}
