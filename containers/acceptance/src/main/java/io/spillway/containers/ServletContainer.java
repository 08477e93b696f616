package io.spillway.containers;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One running servlet container on 127.0.0.1 with an ephemeral port, serving one application
 * servlet on {@code /upload/*} behind one filter on {@code /upload} and {@code /upload/*} (the
 * web-fragment's mapping), each declared the way that container's users declare them. It is made of
 * the running server's own calls, so that each embedding says only how to start its server.
 *
 * @param port     the port it listens on
 * @param stopping whether a stop has begun (and not yet ended)
 * @param stop     stops the container the way a shutdown does: connectors, then the application
 *                 (and the filter)
 */
public record ServletContainer(int port, BooleanSupplier stopping, AutoCloseable stop) implements AutoCloseable {

    /** Starts containers of one kind. */
    @FunctionalInterface
    public interface Launcher {
        /**
         * @param filter      the filter, initialised by the container with {@code initParams}
         * @param application the servlet behind it
         */
        ServletContainer start(Filter filter, Map<String, String> initParams, HttpServlet application)
                throws Exception;
    }

    /** Whether a stop has begun (and not yet ended). */
    public boolean isStopping() {
        return stopping.getAsBoolean();
    }

    /** Stops the container the way a shutdown does: connectors, then the application (and the filter). */
    @Override
    public void close() throws Exception {
        stop.close();
    }
}
