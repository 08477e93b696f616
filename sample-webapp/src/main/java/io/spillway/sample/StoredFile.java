package io.spillway.sample;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * One file the sample application has stored, as listed to the page.
 *
 * @param id       the server-made storage name (32 hex characters); the client's name never
 *                 touches the file system
 * @param name     the sanitized name the client sent, metadata only
 * @param size     the bytes stored
 * @param sha256   the SHA-256 of the bytes stored, computed while storing, lower-case hex
 * @param route    the route Spillway took for the upload ({@code BUFFERED}, {@code STREAMED}, or
 *                 {@code NONE} when the request carried no Spillway facts)
 * @param reason   why Spillway took that route, in words
 * @param storedAt when the file was stored
 */
public record StoredFile(String id, String name, long size, String sha256, String route, String reason,
                         Instant storedAt) {

    public StoredFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(storedAt, "storedAt");
    }

    /** The JSON object the page is sent. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("name", name);
        json.put("size", size);
        json.put("sha256", sha256);
        json.put("route", route);
        json.put("reason", reason);
        json.put("storedAt", storedAt.toString());
        return json;
    }

    /** The sidecar file's form: one property per component, as {@link #toJson()} names them. */
    Properties toProperties() {
        Properties properties = new Properties();
        toJson().forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        return properties;
    }

    /** Reads what {@link #toProperties()} wrote. */
    static StoredFile fromProperties(Properties properties) {
        return new StoredFile(
                properties.getProperty("id"),
                properties.getProperty("name"),
                Long.parseLong(properties.getProperty("size")),
                properties.getProperty("sha256"),
                properties.getProperty("route"),
                properties.getProperty("reason"),
                Instant.parse(properties.getProperty("storedAt")));
    }
}
