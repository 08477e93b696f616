package io.spillway.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A servlet that answers GETs with JSON about the running Spillway filter of its webapp, or
 * {@code 503} while no filter runs (before it started, after it failed or stopped).
 */
abstract class FilterJsonServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MemoryAwareUploadFilter filter = JsonResponses.runningFilter(getServletContext(), response);
        if (filter != null) {
            answer(filter, request, response);
        }
    }

    /** Answers the GET from the running filter's figures. */
    abstract void answer(MemoryAwareUploadFilter filter, HttpServletRequest request, HttpServletResponse response)
            throws IOException;
}
