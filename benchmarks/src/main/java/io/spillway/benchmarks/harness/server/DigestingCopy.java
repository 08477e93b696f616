package io.spillway.benchmarks.harness.server;

import io.spillway.core.internal.json.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The application work every benchmark servlet does: read, digest, optionally copy, then answer. */
final class DigestingCopy {

    static final int BUFFER_SIZE = 64 * 1024;

    private final MessageDigest digest = sha256();
    private long bytes;
    private int parts;

    /**
     * Reads {@code in} to its end, digesting every byte and writing it to {@code out} when not null.
     * Reads are gathered into the 64 KiB buffer before each write, so that every server writes its
     * files in 64 KiB pieces whatever size its input stream returns (Tomcat's request stream returns
     * about 8 KiB per read): R stays the limit of the machine, not of a small-write loop.
     */
    void consume(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        int n;
        while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
            digest.update(buffer, 0, n);
            if (out != null) {
                out.write(buffer, 0, n);
            }
            bytes += n;
        }
        parts++;
    }

    /** Digests and counts bytes that a non-blocking reader has written elsewhere; one part in all. */
    void update(byte[] bytes, int offset, int count) {
        digest.update(bytes, offset, count);
        this.bytes += count;
        parts = 1;
    }

    /** Answers {@code {"parts":N,"bytes":N,"sha256":"..."}}. */
    void respond(HttpServletResponse response) throws IOException {
        respond(response, null);
    }

    /** Answers {@code {"parts":N,"bytes":N,"sha256":"...","route":"..."}}; the route is Spillway's, when known. */
    void respond(HttpServletResponse response, String route) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("parts", (long) parts);
        answer.put("bytes", bytes);
        answer.put("sha256", HexFormat.of().formatHex(digest.digest()));
        if (route != null) {
            answer.put("route", route);
        }
        byte[] json = Json.write(answer).getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
