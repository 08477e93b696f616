package io.spillway.containers;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * An embedded Tomcat (10.1 or 11: the same embedding API) with the filter declared by a filter
 * definition and mapping, as {@code web.xml} declares it. The connector's own read timeout is a
 * minute, so only the filter can explain an earlier cut-off.
 */
public final class EmbeddedTomcat implements ServletContainer {

    private final Tomcat tomcat;
    private final Path baseDir;

    private EmbeddedTomcat(Tomcat tomcat, Path baseDir) {
        this.tomcat = tomcat;
        this.baseDir = baseDir;
    }

    /** The launcher of embedded Tomcats on platform threads. */
    public static ServletContainer start(Filter filter, Map<String, String> initParams, HttpServlet application)
            throws Exception {
        return start(filter, initParams, application, false);
    }

    /** The launcher of embedded Tomcats whose connector runs requests on virtual threads (Java 21+). */
    public static ServletContainer startOnVirtualThreads(Filter filter, Map<String, String> initParams,
                                                        HttpServlet application) throws Exception {
        return start(filter, initParams, application, true);
    }

    private static ServletContainer start(Filter filter, Map<String, String> initParams, HttpServlet application,
                                          boolean virtualThreads) throws Exception {
        Path baseDir = Files.createTempDirectory("spillway-tomcat-");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.getConnector().setProperty("connectionTimeout", "60000");
        if (virtualThreads) {
            tomcat.getConnector().setProperty("useVirtualThreads", "true");
        }
        Context context = tomcat.addContext("", Files.createDirectories(baseDir.resolve("webapp")).toString());
        Tomcat.addServlet(context, "application", application).setAsyncSupported(true);
        context.addServletMappingDecoded("/upload/*", "application");
        FilterDef def = new FilterDef();
        def.setFilterName("spillway");
        def.setFilter(filter);
        def.setFilterClass(filter.getClass().getName());
        def.setAsyncSupported("true");
        initParams.forEach(def::addInitParameter);
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("spillway");
        map.addURLPatternDecoded("/upload");
        map.addURLPatternDecoded("/upload/*");
        context.addFilterMap(map);
        tomcat.start();
        if (!context.getState().isAvailable()) {
            new EmbeddedTomcat(tomcat, baseDir).close();
            throw new IllegalStateException("the context did not start (filter init error?)");
        }
        return new EmbeddedTomcat(tomcat, baseDir);
    }

    /** The running Tomcat's version, e.g. {@code Apache Tomcat/11.0.29}. */
    public static String serverInfo() {
        return org.apache.catalina.util.ServerInfo.getServerInfo();
    }

    @Override
    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    public boolean isStopping() {
        org.apache.catalina.LifecycleState state = tomcat.getServer().getState();
        return state == org.apache.catalina.LifecycleState.STOPPING_PREP
                || state == org.apache.catalina.LifecycleState.STOPPING;
    }

    @Override
    public void close() throws LifecycleException {
        try {
            tomcat.stop();
            tomcat.destroy();
        } finally {
            io.spillway.servlet.testing.TestServer.deleteTree(baseDir);
        }
    }
}
