package io.spillway.benchmarks.harness.server;

import io.spillway.benchmarks.harness.ServerKind;
import jakarta.servlet.MultipartConfigElement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * The main class of a forked server JVM: one embedded Tomcat 11 on 127.0.0.1 and an ephemeral
 * port, set up as one {@link ServerKind}, with the upload endpoint at {@code /upload} and the heap
 * statistics at {@code /stats}. The port is written to a file once Tomcat listens.
 *
 * <p>Arguments: {@code --kind A|B|C|D|R|N --dir DIR --port-file FILE [--init name=value]...};
 * {@code --init} sets an init-param of Spillway's filter (server A only), {@code --connector} a
 * property of the Tomcat connector (for example {@code useVirtualThreads=true}).
 */
public final class BenchmarkServer {

    /** The path uploads are sent to. */
    public static final String UPLOAD_PATH = "/upload";
    /** The path of the heap statistics. */
    public static final String STATS_PATH = "/stats";
    /** The subdirectory of {@code --dir} where every server writes uploaded files. */
    public static final String UPLOADS_DIR = "uploads";

    private BenchmarkServer() {
    }

    /** Starts the server and waits until the JVM is killed. */
    public static void main(String[] args) throws Exception {
        ServerKind kind = null;
        Path dir = null;
        Path portFile = null;
        Map<String, String> initParams = new LinkedHashMap<>();
        Map<String, String> connector = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--kind" -> kind = ServerKind.valueOf(value);
                case "--dir" -> dir = Path.of(value);
                case "--port-file" -> portFile = Path.of(value);
                case "--init" -> initParams.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
                case "--connector" -> connector.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (kind == null || dir == null || portFile == null) {
            throw new IllegalArgumentException("usage: --kind A|B|C|D|R|N --dir DIR --port-file FILE [--init name=value]...");
        }
        Tomcat tomcat = start(kind, dir, initParams, connector);
        int port = tomcat.getConnector().getLocalPort();
        Path written = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(written, Integer.toString(port), StandardCharsets.US_ASCII);
        Files.move(written, portFile, StandardCopyOption.ATOMIC_MOVE);
        tomcat.getServer().await();
    }

    private static Tomcat start(ServerKind kind, Path dir, Map<String, String> initParams,
                                Map<String, String> connectorProperties) throws Exception {
        Path uploads = Files.createDirectories(dir.resolve(UPLOADS_DIR));
        Path base = Files.createDirectories(dir.resolve("tomcat"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setMaxPostSize(-1);
        connectorProperties.forEach((name, value) -> {
            if (!connector.setProperty(name, value)) {
                throw new IllegalArgumentException("unknown connector property " + name);
            }
        });
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", Files.createDirectories(base.resolve("docroot")).toString());

        HeapMonitor monitor = HeapMonitor.start();
        Tomcat.addServlet(context, "stats", new HeapStatsServlet(monitor));
        context.addServletMappingDecoded(STATS_PATH, "stats");

        switch (kind) {
            case A -> {
                addUploadServlet(context, new PartsDigestServlet());
                addSpillwayFilter(context, uploads, initParams);
            }
            case B -> addUploadServlet(context, new PartsDigestServlet())
                    .setMultipartConfigElement(new MultipartConfigElement(uploads.toString(), -1, -1, 0));
            case C -> addUploadServlet(context, new PartsDigestServlet())
                    .setMultipartConfigElement(new MultipartConfigElement(uploads.toString(), -1, -1, Integer.MAX_VALUE));
            case D -> addUploadServlet(context, new StreamingFileUploadServlet(uploads));
            case R -> addUploadServlet(context, new RawBodyServlet(uploads));
            case N -> addUploadServlet(context, new NonBlockingRawBodyServlet(uploads)).setAsyncSupported(true);
            default -> throw new IllegalStateException("unhandled server kind " + kind);
        }
        tomcat.start();
        return tomcat;
    }

    private static Wrapper addUploadServlet(Context context, jakarta.servlet.Servlet servlet) {
        Wrapper wrapper = Tomcat.addServlet(context, "upload", servlet);
        context.addServletMappingDecoded(UPLOAD_PATH, "upload");
        return wrapper;
    }

    /** Declares the filter by class name, exactly as a user's web.xml does. */
    private static void addSpillwayFilter(Context context, Path uploads, Map<String, String> initParams) {
        FilterDef filter = new FilterDef();
        filter.setFilterName("spillway");
        filter.setFilterClass(ServerKind.SPILLWAY_FILTER);
        filter.setAsyncSupported("true");
        filter.addInitParameter("tempDirectory", uploads.toString());
        initParams.forEach(filter::addInitParameter);
        context.addFilterDef(filter);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName("spillway");
        mapping.addURLPattern(UPLOAD_PATH);
        context.addFilterMap(mapping);
    }
}
