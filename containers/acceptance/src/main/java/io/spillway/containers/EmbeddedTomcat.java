package io.spillway.containers;

import io.spillway.servlet.testing.TestServer;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;

/**
 * An embedded Tomcat (10.1 or 11: the same embedding API), started by the filter tests'
 * {@link TestServer} with the filter declared by a filter definition and mapping, as
 * {@code web.xml} declares it. The connector's own read timeout is a minute, so only the filter can
 * explain an earlier cut-off.
 */
public final class EmbeddedTomcat implements ServletContainer {

    private final TestServer server;

    private EmbeddedTomcat(TestServer server) {
        this.server = server;
    }

    /** The launcher of embedded Tomcats on platform threads. */
    public static ServletContainer start(Filter filter, Map<String, String> initParams, HttpServlet application) {
        return start(filter, initParams, application, false);
    }

    /** The launcher of embedded Tomcats whose connector runs requests on virtual threads (Java 21+). */
    public static ServletContainer startOnVirtualThreads(Filter filter, Map<String, String> initParams,
                                                        HttpServlet application) {
        return start(filter, initParams, application, true);
    }

    private static ServletContainer start(Filter filter, Map<String, String> initParams, HttpServlet application,
                                          boolean virtualThreads) {
        TestServer.Builder builder = TestServer.builder()
                .filter(filter, initParams, "/upload", "/upload/*")
                .servlet("/upload/*", application)
                .connector("connectionTimeout", "60000");
        if (virtualThreads) {
            builder.connector("useVirtualThreads", "true");
        }
        return new EmbeddedTomcat(builder.start());
    }

    /** The running Tomcat's version, e.g. {@code Apache Tomcat/11.0.29}. */
    public static String serverInfo() {
        return org.apache.catalina.util.ServerInfo.getServerInfo();
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public boolean isStopping() {
        return server.isStopping();
    }

    @Override
    public void close() {
        server.close();
    }
}
