package io.spillway.s3.testing;

import io.spillway.core.memory.MemoryProbe;
import io.spillway.servlet.MemoryAwareUploadFilter;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * One server of a cluster: an embedded Tomcat 11 on 127.0.0.1 with an ephemeral port,
 * {@link MemoryAwareUploadFilter} on {@code /upload} and {@code /upload/*}, and the application
 * servlet behind it.
 */
public final class Node implements AutoCloseable {

    private final Tomcat tomcat;
    private final Path baseDir;

    private Node(Tomcat tomcat, Path baseDir) {
        this.tomcat = tomcat;
        this.baseDir = baseDir;
    }

    /** Starts a node with the system's memory readings; fails when the filter does not start. */
    public static Node start(Map<String, String> initParams, HttpServlet application) throws Exception {
        return start(initParams, application, null);
    }

    /**
     * Starts a node whose filter reads memory through {@code memoryProbe} (null for the system's);
     * fails when the filter does not start.
     */
    public static Node start(Map<String, String> initParams, HttpServlet application, MemoryProbe memoryProbe)
            throws Exception {
        Path baseDir = Files.createTempDirectory("spillway-s3-node-");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", Files.createDirectories(baseDir.resolve("webapp")).toString());
        Tomcat.addServlet(context, "application", application);
        context.addServletMappingDecoded("/upload/*", "application");
        FilterDef def = new FilterDef();
        def.setFilterName("spillway");
        def.setFilter(new MemoryAwareUploadFilter(memoryProbe, Clock.systemUTC()));
        def.setFilterClass(MemoryAwareUploadFilter.class.getName());
        initParams.forEach(def::addInitParameter);
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("spillway");
        map.addURLPatternDecoded("/upload");
        map.addURLPatternDecoded("/upload/*");
        context.addFilterMap(map);
        tomcat.start();
        Node node = new Node(tomcat, baseDir);
        if (!context.getState().isAvailable()) {
            node.close();
            throw new IllegalStateException("context failed to start (filter init error?)");
        }
        return node;
    }

    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    @Override
    public void close() throws LifecycleException, IOException {
        try {
            tomcat.stop();
            tomcat.destroy();
        } finally {
            try (Stream<Path> files = Files.walk(baseDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
