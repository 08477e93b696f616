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
import java.nio.file.Path;
import java.security.Principal;
import java.util.Map;

/**
 * An embedded Tomcat 11 on 127.0.0.1 for the resumable tests: a fake login filter (the request
 * header {@code X-Test-User} becomes the authenticated user), then {@link MemoryAwareUploadFilter}
 * on {@code /upload} and {@code /upload/*}, then the application servlet on {@code /upload/*}.
 */
final class ResumableServer implements AutoCloseable {

    static final String USER_HEADER = "X-Test-User";

    private final TestServer server;

    private ResumableServer(TestServer server) {
        this.server = server;
    }

    /**
     * A server for the real clients' tests, its filter in {@code tempDirectory} with room for their
     * files: 100MB a file and a request, no disk reserve.
     */
    static ResumableServer startForClients(Path tempDirectory, HttpServlet application) {
        return start(Map.of("tempDirectory", tempDirectory.toString(), "maxFileSize", "100MB",
                "maxRequestSize", "100MB", "diskReserve", "0"), application);
    }

    static ResumableServer start(Map<String, String> initParams, HttpServlet application) {
        return start(initParams, application, 0);
    }

    static ResumableServer start(Map<String, String> initParams, HttpServlet application, int port) {
        return new ResumableServer(TestServer.builder().port(port)
                .filter("login", new FakeLoginFilter(), Map.of(), "/*")
                .filter(new MemoryAwareUploadFilter(), initParams, "/upload", "/upload/*")
                .servlet("/upload/*", application)
                .start());
    }

    int port() {
        return server.port();
    }

    URI uri(String path) {
        return server.uri(path);
    }

    @Override
    public void close() {
        server.close();
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
