package io.spillway.servlet;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import io.spillway.core.internal.json.Json;

/**
 * Writes a refusal: the status and a short reason, as JSON when the client accepts it, else plain
 * text. Never a stack trace. The connection is closed after a refusal, so that Tomcat does not
 * read (or reset over) a large unread body.
 */
final class ErrorResponses {

    private ErrorResponses() {
    }

    static void send(HttpServletRequest request, HttpServletResponse response, int status, String reason,
                     long retryAfterSeconds) {
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof IOException) {
            dropContainerException(request);
            return;
        }
        if (response.isCommitted()) {
            return;
        }
        try {
            response.reset();
            response.setStatus(status);
            response.setHeader("Connection", "close");
            if (retryAfterSeconds > 0) {
                response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
            }
            String accept = request.getHeader("Accept");
            byte[] body;
            if (accept != null && accept.contains("application/json")) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("status", status);
                json.put("error", reason);
                response.setContentType("application/json;charset=UTF-8");
                body = Json.write(json).getBytes(StandardCharsets.UTF_8);
            } else {
                response.setContentType("text/plain;charset=UTF-8");
                body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
            }
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.flushBuffer();
        } catch (IOException | IllegalStateException clientGone) {
            // the client went away; there is nobody left to tell
        }
    }

    /**
     * Tomcat (10.1 and later) answers a failed body read itself: it calls {@code sendError} (400, or
     * 408 on a timeout), after which the response counts as committed and only its error page is
     * written, and that page shows the exception's stack trace. Its status stands; the exception
     * goes, so the page shows the status alone.
     */
    private static void dropContainerException(HttpServletRequest request) {
        request.removeAttribute(RequestDispatcher.ERROR_EXCEPTION);
    }
}
