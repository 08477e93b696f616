package io.spillway.containers;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;

/**
 * One running servlet container on 127.0.0.1 with an ephemeral port, serving one application
 * servlet on {@code /upload/*} behind one filter on {@code /upload} and {@code /upload/*} (the
 * web-fragment's mapping), each declared the way that container's users declare them.
 */
public interface ServletContainer extends AutoCloseable {

    /** Starts containers of one kind. */
    @FunctionalInterface
    interface Launcher {
        /**
         * @param filter      the filter, initialised by the container with {@code initParams}
         * @param application the servlet behind it
         */
        ServletContainer start(Filter filter, Map<String, String> initParams, HttpServlet application)
                throws Exception;
    }

    /** The port it listens on. */
    int port();

    /** Whether a stop has begun (and not yet ended). */
    boolean isStopping();

    /** Stops the container the way a shutdown does: connectors, then the application (and the filter). */
    @Override
    void close() throws Exception;
}
