package io.spillway.benchmarks.harness.client;

import io.spillway.core.internal.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Sends {@link UploadPayload}s with the JDK {@code HttpClient} (HTTP/1.1, known Content-Length)
 * and checks each answer against the digest computed while sending.
 *
 * <p>Every benchmark server answers a successful upload with
 * {@code {"parts":1,"bytes":N,"sha256":"..."}}.
 */
public final class UploadClient {

    private final HttpClient http;
    private final Duration timeout;

    /** Creates a client whose requests give up after {@code timeout}. */
    public UploadClient(Duration timeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.timeout = timeout;
    }

    /** The underlying client, shared with the stats reader. */
    public HttpClient http() {
        return http;
    }

    /** Uploads one payload and reports what happened; never throws for a failed upload. */
    public UploadOutcome upload(URI uri, UploadPayload payload) {
        MultipartBodyPublisher body = new MultipartBodyPublisher(payload);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", payload.contentType())
                .POST(HttpRequest.BodyPublishers.fromPublisher(body, payload.bodyLength()))
                .build();
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new UploadOutcome(0, System.nanoTime() - start, false, e.getClass().getSimpleName() + ": " + e.getMessage(), "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new UploadOutcome(0, System.nanoTime() - start, false, "interrupted", "");
        }
        long nanos = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            return new UploadOutcome(response.statusCode(), nanos, false, abbreviate(response.body()), "");
        }
        String mismatch = mismatch(response.body(), payload, body);
        return new UploadOutcome(200, nanos, mismatch.isEmpty(), mismatch, mismatch.isEmpty() ? route(response.body()) : "");
    }

    private static String route(String answer) {
        Object route = Json.parseObject(answer).get("route");
        return route instanceof String name ? name : "";
    }

    private static String mismatch(String answer, UploadPayload payload, MultipartBodyPublisher body) {
        Map<String, Object> json;
        try {
            json = Json.parseObject(answer);
        } catch (IllegalArgumentException e) {
            return "answer is not JSON: " + abbreviate(answer);
        }
        Object bytes = json.get("bytes");
        Object sha = json.get("sha256");
        if (!(bytes instanceof Long) || (Long) bytes != payload.digestedLength()) {
            return "server digested " + bytes + " bytes, expected " + payload.digestedLength();
        }
        if (body.digestHex() == null || !body.digestHex().equals(sha)) {
            return "sha256 mismatch: server " + sha + ", client " + body.digestHex();
        }
        return "";
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 120) + "...";
    }
}
