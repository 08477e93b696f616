package io.spillway.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import io.spillway.core.json.Json;

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
}
