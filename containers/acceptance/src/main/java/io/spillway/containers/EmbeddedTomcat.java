package io.spillway.containers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.servlet.testing.TestServer;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;

/**
 * Embedded Tomcats (10.1 or 11: the same embedding API), started by the filter tests'
 * {@link TestServer} with the filter declared by a filter definition and mapping, as
 * {@code web.xml} declares it. The connector's own read timeout is a minute, so only the filter can
 * explain an earlier cut-off.
 */
public final class EmbeddedTomcat {

    private EmbeddedTomcat() {
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
        TestServer server = builder.start();
        return new ServletContainer(server.port(), server::isStopping, server::close);
    }

    /** The running Tomcat's version, e.g. {@code Apache Tomcat/11.0.29}. */
    public static String serverInfo() {
        return org.apache.catalina.util.ServerInfo.getServerInfo();
    }

    /** Asserts that the Tomcat on the classpath is the one a test names, e.g. {@code "11."}. */
    public static void assertVersion(String version) {
        assertTrue(serverInfo().startsWith("Apache Tomcat/" + version), serverInfo());
    }
}
