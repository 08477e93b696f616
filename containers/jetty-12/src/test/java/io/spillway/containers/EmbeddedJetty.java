package io.spillway.containers;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * Embedded Jetty 12s, each with an ee10 (Servlet 6.0) context, the filter held by a
 * {@link FilterHolder} with its init-params, and graceful shutdown as Jetty's documentation sets it
 * up (a {@link GracefulHandler} and a stop timeout). The connector's idle timeout is a minute, so
 * only the filter can explain an earlier cut-off.
 */
final class EmbeddedJetty {

    private EmbeddedJetty() {
    }

    static ServletContainer start(Filter filter, Map<String, String> initParams, HttpServlet application)
            throws Exception {
        return start(new Server(), filter, initParams, application);
    }

    /** A Jetty whose requests run on virtual threads (Java 21+), through Jetty's own pool of them. */
    static ServletContainer startOnVirtualThreads(Filter filter, Map<String, String> initParams,
                                                  HttpServlet application) throws Exception {
        return start(new Server(new VirtualThreadPool()), filter, initParams, application);
    }

    private static ServletContainer start(Server server, Filter filter, Map<String, String> initParams,
                                          HttpServlet application) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(60_000);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder servlet = new ServletHolder("application", application);
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, "/upload/*");
        FilterHolder holder = new FilterHolder(filter);
        holder.setName("spillway");
        holder.setInitParameters(initParams);
        holder.setAsyncSupported(true);
        FilterMapping mapping = new FilterMapping();
        mapping.setFilterName("spillway");
        mapping.setPathSpecs(new String[] {"/upload", "/upload/*"});
        mapping.setDispatcherTypes(java.util.EnumSet.of(DispatcherType.REQUEST));
        context.getServletHandler().addFilter(holder, mapping);

        GracefulHandler graceful = new GracefulHandler();
        graceful.setHandler(context);
        server.setHandler(graceful);
        server.setStopTimeout(15_000);
        server.start();
        if (!context.isAvailable()) {
            server.stop();
            throw new IllegalStateException("the context did not start (filter init error?)");
        }
        return new ServletContainer(connector.getLocalPort(), server::isStopping, server::stop);
    }
}
