package io.spillway.servlet.resumable;

import io.spillway.servlet.MemoryAwareUploadFilter;
import io.spillway.servlet.testing.TestServer;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * An embedded Tomcat 11 on 127.0.0.1 for the resumable tests: a fake login filter (the request
 * header {@code X-Test-User} becomes the authenticated user), then {@link MemoryAwareUploadFilter}
 * on {@code /upload} and {@code /upload/*}, then the application servlet on {@code /upload/*}.
 */
final class ResumableServer implements AutoCloseable {

    static final String USER_HEADER = "X-Test-User";

    private final Tomcat tomcat;
    private final Path baseDir;

    private ResumableServer(Tomcat tomcat, Path baseDir) {
        this.tomcat = tomcat;
        this.baseDir = baseDir;
    }

    static ResumableServer start(Map<String, String> initParams, HttpServlet application) {
        return start(initParams, application, 0);
    }

    static ResumableServer start(Map<String, String> initParams, HttpServlet application, int port) {
        Path baseDir = null;
        try {
            baseDir = Files.createTempDirectory("spillway-resumable-tomcat-");
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.toString());
            tomcat.setHostname("127.0.0.1");
            tomcat.setPort(port);
            tomcat.getConnector().setProperty("address", "127.0.0.1");
            Context context = tomcat.addContext("", Files.createDirectories(baseDir.resolve("webapp")).toString());
            Tomcat.addServlet(context, "application", application);
            context.addServletMappingDecoded("/upload/*", "application");
            addFilter(context, "login", new FakeLoginFilter(), Map.of(), "/*");
            addFilter(context, "spillway", new MemoryAwareUploadFilter(), initParams, "/upload", "/upload/*");
            tomcat.start();
            if (!context.getState().isAvailable()) {
                tomcat.stop();
                tomcat.destroy();
                throw new IllegalStateException("context failed to start (filter init error?)");
            }
            return new ResumableServer(tomcat, baseDir);
        } catch (IOException | LifecycleException e) {
            TestServer.deleteTree(baseDir);
            throw new IllegalStateException(e);
        }
    }

    private static void addFilter(Context context, String name, Filter filter, Map<String, String> params,
                                  String... patterns) {
        FilterDef def = new FilterDef();
        def.setFilterName(name);
        def.setFilter(filter);
        def.setFilterClass(filter.getClass().getName());
        params.forEach(def::addInitParameter);
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName(name);
        for (String pattern : patterns) {
            map.addURLPatternDecoded(pattern);
        }
        context.addFilterMap(map);
    }

    int port() {
        return tomcat.getConnector().getLocalPort();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        } finally {
            TestServer.deleteTree(baseDir);
        }
    }

    /** Makes the {@code X-Test-User} header the authenticated user, as a container login would. */
    static final class FakeLoginFilter implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            String user = request.getHeader(USER_HEADER);
            if (user == null) {
                chain.doFilter(req, res);
                return;
            }
            chain.doFilter(new HttpServletRequestWrapper(request) {
                @Override
                public String getRemoteUser() {
                    return user;
                }

                @Override
                public Principal getUserPrincipal() {
                    return () -> user;
                }
            }, res);
        }
    }
}
