package io.spillway.servlet.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.RawHttpClient;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Assertions on what a client sees: a deliberate status with a short reason, or the echoed parts. */
final class Responses {

    /** The statuses a client may see for a refused upload (THREATS.md). */
    static final Set<Integer> DELIBERATE = Set.of(400, 408, 409, 413, 415, 416, 423, 503, 507);

    private Responses() {
    }

    /** A refusal: exactly {@code status}, a reason starting with {@code reason}, no stack trace. */
    static void assertRefused(RawHttpClient.Response response, int status, String reason) {
        assertEquals(status, response.status(), response.toString());
        assertTrue(response.text().startsWith(reason), "reason: " + response.text());
        assertShortReason(response);
    }

    /** A refusal with one of the deliberate 4xx statuses. */
    static void assertClientError(RawHttpClient.Response response) {
        assertTrue(response.status() >= 400 && response.status() < 500 && DELIBERATE.contains(response.status()),
                "a deliberate 4xx: " + response);
        assertShortReason(response);
    }

    static void assertShortReason(RawHttpClient.Response response) {
        assertTrue(response.text().length() < 300, "a short reason: " + response.text());
        assertNoStackTrace(response);
    }

    /** No exception name, no stack frame (the container's own error page included). */
    static void assertNoStackTrace(RawHttpClient.Response response) {
        String text = response.text();
        assertFalse(text.contains("Exception") || text.contains("\tat ") || text.contains("at org.")
                || text.contains("at io.spillway"), "no stack trace: " + text);
    }

    /** A 200 from the echo servlet, parsed. */
    static Map<String, Object> assertEchoed(RawHttpClient.Response response) {
        assertEquals(200, response.status(), response.toString());
        return Json.parseObject(response.text());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parts(Map<String, Object> echo) {
        return (List<Map<String, Object>>) echo.get("parts");
    }

    static Map<String, Object> part(Map<String, Object> echo, int index) {
        return parts(echo).get(index);
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(GeneratedStream.sha256().digest(bytes));
    }

    /** Asserts the route the echo reports, so a forced mode is known to be in force. */
    static void assertRoute(Mode mode, Map<String, Object> echo) {
        assertEquals(mode.route().name(), echo.get("route"), String.valueOf(echo.get("reason")));
    }
}
