package io.spillway.sample;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes the sample's JSON answers: documents, and errors as {@code {"error": "..."}}. */
final class JsonResponses {

    private JsonResponses() {
    }

    static void send(HttpServletResponse response, int status, Object document) throws IOException {
        byte[] body = SampleJson.write(document).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static void error(HttpServletResponse response, int status, String reason) throws IOException {
        send(response, status, Map.of("error", reason));
    }
}
