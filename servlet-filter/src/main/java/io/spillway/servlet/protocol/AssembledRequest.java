package io.spillway.servlet.protocol;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The request that completed a resumable upload, as the application sees it: an ordinary
 * multipart {@code POST}. The chunk's own framing (a {@code PATCH}, a raw body, its
 * {@code Content-Range}, {@code Content-Length} and tus headers) is hidden, so that a servlet
 * written for form uploads ({@code doPost}, {@code getParts()}) handles it unchanged.
 */
public final class AssembledRequest extends HttpServletRequestWrapper {

    /** The content type the application sees; the body itself has been consumed. */
    public static final String CONTENT_TYPE = "multipart/form-data; boundary=spillway-assembled";

    private static final Set<String> HIDDEN = Set.of("content-type", "content-length", "content-range",
            "transfer-encoding", "upload-offset", "upload-length", "upload-checksum", "upload-metadata",
            "x-http-method-override", "expect");

    public AssembledRequest(HttpServletRequest request) {
        super(request);
    }

    @Override
    public String getMethod() {
        return "POST";
    }

    @Override
    public String getContentType() {
        return CONTENT_TYPE;
    }

    @Override
    public int getContentLength() {
        return -1;
    }

    @Override
    public long getContentLengthLong() {
        return -1;
    }

    @Override
    public String getHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("content-type")) {
            return CONTENT_TYPE;
        }
        return HIDDEN.contains(lower) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("content-type")) {
            return Collections.enumeration(List.of(CONTENT_TYPE));
        }
        return HIDDEN.contains(lower) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> names = new ArrayList<>();
        for (String name : Collections.list(super.getHeaderNames())) {
            if (!HIDDEN.contains(name.toLowerCase(Locale.ROOT))) {
                names.add(name);
            }
        }
        names.add("Content-Type");
        return Collections.enumeration(names);
    }
}
