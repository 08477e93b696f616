package io.spillway.core.multipart;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds multipart bodies for tests, byte by byte as a client would send them. */
final class MultipartBody {

    private final String boundary;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    MultipartBody(String boundary) {
        this.boundary = boundary;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Raw bytes, anywhere: preamble, epilogue or deliberate damage. */
    MultipartBody raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    MultipartBody raw(String s) {
        return raw(ascii(s));
    }

    /** A delimiter line: CRLF (unless it opens the body), --boundary, padding, CRLF. */
    MultipartBody delimiter(String padding) {
        return raw((out.size() == 0 ? "" : "\r\n") + "--" + boundary + padding + "\r\n");
    }

    /** A part: delimiter line, header lines, empty line, content. */
    MultipartBody part(String headerLines, byte[] content) {
        return part("", headerLines, content);
    }

    MultipartBody part(String padding, String headerLines, byte[] content) {
        delimiter(padding);
        raw(utf8(headerLines.isEmpty() ? "\r\n" : headerLines + "\r\n\r\n"));
        return raw(content);
    }

    /** A form field part with a Content-Disposition header. */
    MultipartBody field(String name, String value) {
        return part("Content-Disposition: form-data; name=\"" + name + "\"", utf8(value));
    }

    /** The closing delimiter {@code CRLF--boundary--}. */
    MultipartBody close() {
        return raw((out.size() == 0 ? "" : "\r\n") + "--" + boundary + "--");
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
