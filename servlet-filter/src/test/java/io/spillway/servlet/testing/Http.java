package io.spillway.servlet.testing;

import io.spillway.core.internal.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Small JDK HttpClient helpers: the real client most filter tests use. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private Http() {
    }

    public static HttpClient client() {
        return CLIENT;
    }

    /** Posts a multipart body with its Content-Length declared. */
    public static HttpResponse<String> post(URI uri, MultipartBody body) {
        return send(HttpRequest.newBuilder(uri)
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(body::stream), body.length()))
                .build());
    }

    /** Posts a multipart body with chunked transfer encoding (no declared length). */
    public static HttpResponse<String> postChunked(URI uri, MultipartBody body) {
        return send(HttpRequest.newBuilder(uri)
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(body::stream))
                .build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> json(HttpResponse<String> response) {
        return Json.parseObject(response.body());
    }
}
