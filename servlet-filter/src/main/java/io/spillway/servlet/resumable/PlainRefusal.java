package io.spillway.servlet.resumable;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A resumable protocol's refusal: the status, the protocol's own headers, {@code no-store}, and the
 * reason as one line of plain text. Never a stack trace; nothing when the response is committed.
 */
final class PlainRefusal {

    private PlainRefusal() {
    }

    /**
     * @param bodyMayBeUnread closes the connection after the answer, so that the container does not
     *                        read (or reset over) a large unread body
     * @param protocolHeaders sets the protocol's headers (its version) on the reset response
     */
    static void send(HttpServletResponse response, int status, String reason, boolean bodyMayBeUnread,
                     Consumer<HttpServletResponse> protocolHeaders) {
        if (response.isCommitted()) {
            return;
        }
        try {
            response.reset();
            response.setStatus(status);
            protocolHeaders.accept(response);
            response.setHeader("Cache-Control", "no-store");
            if (bodyMayBeUnread) {
                response.setHeader("Connection", "close");
            }
            byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
            response.setContentType("text/plain;charset=UTF-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.flushBuffer();
        } catch (IOException | IllegalStateException clientGone) {
            // the client went away; there is nobody left to tell
        }
    }
}
