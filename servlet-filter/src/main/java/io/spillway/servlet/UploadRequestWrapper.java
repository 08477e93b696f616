package io.spillway.servlet;

import io.spillway.core.upload.ReceivedPart;
import io.spillway.core.upload.UploadRecord;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request the application sees after an upload was received: {@link #getParts()},
 * {@link #getPart(String)} and the {@code getParameter*} family work as on a container with
 * {@code <multipart-config>}; plain fields join the query-string parameters. The body has been
 * consumed, so {@link #getInputStream()} is empty.
 */
final class UploadRequestWrapper extends HttpServletRequestWrapper {

    private final List<SpillwayPart> parts;
    private final Map<String, String[]> parameters;

    /**
     * The request to hand the application once an upload was received: {@code parts} as its
     * {@code Part}s, {@code record} in the request attribute {@value MemoryAwareUploadFilter#UPLOAD_ATTRIBUTE}.
     *
     * @param storageRoot the temp directory, which a relative {@code Part.write} name resolves in
     */
    static UploadRequestWrapper delivering(HttpServletRequest request, UploadRecord record, List<ReceivedPart> parts,
                                           Path storageRoot) throws IOException {
        List<SpillwayPart> servletParts = new ArrayList<>(parts.size());
        parts.forEach(p -> servletParts.add(new SpillwayPart(p, storageRoot)));
        request.setAttribute(MemoryAwareUploadFilter.UPLOAD_ATTRIBUTE, record);
        return new UploadRequestWrapper(request, servletParts);
    }

    UploadRequestWrapper(HttpServletRequest request, List<SpillwayPart> parts) throws IOException {
        super(request);
        this.parts = List.copyOf(parts);
        this.parameters = Collections.unmodifiableMap(mergeParameters(request, parts));
    }

    @Override
    public Collection<Part> getParts() {
        return Collections.unmodifiableList(new ArrayList<>(parts));
    }

    @Override
    public Part getPart(String name) {
        for (SpillwayPart part : parts) {
            if (part.getName().equals(name)) {
                return part;
            }
        }
        return null;
    }

    @Override
    public String getParameter(String name) {
        String[] values = parameters.get(name);
        return values == null ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters;
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters.keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = parameters.get(name);
        return values == null ? null : values.clone();
    }

    @Override
    public ServletInputStream getInputStream() {
        return new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return true;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                try {
                    listener.onAllDataRead();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public int read() {
                return -1;
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        return new BufferedReader(new StringReader(""));
    }

    private static Map<String, String[]> mergeParameters(HttpServletRequest request, List<SpillwayPart> parts)
            throws IOException {
        Map<String, List<String>> merged = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> merged.computeIfAbsent(name, k -> new ArrayList<>())
                .addAll(List.of(values)));
        Charset charset = fieldCharset(request, parts);
        for (SpillwayPart part : parts) {
            if (part.getSubmittedFileName() == null) {
                merged.computeIfAbsent(part.getName(), k -> new ArrayList<>()).add(part.text(partCharset(part, charset)));
            }
        }
        Map<String, String[]> result = new LinkedHashMap<>();
        merged.forEach((name, values) -> result.put(name, values.toArray(String[]::new)));
        return result;
    }

    /**
     * The charset a field part declares in its own {@code Content-Type} (RFC 7578 4.4; Apache
     * HttpClient sends {@code text/plain; charset=UTF-8} parts), else the request's.
     */
    private static Charset partCharset(SpillwayPart part, Charset requestCharset) {
        String type = part.getContentType();
        if (type == null) {
            return requestCharset;
        }
        for (String parameter : type.split(";")) {
            int eq = parameter.indexOf('=');
            if (eq > 0 && parameter.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                try {
                    return Charset.forName(parameter.substring(eq + 1).trim().replace("\"", ""));
                } catch (IllegalArgumentException unknown) {
                    return requestCharset;
                }
            }
        }
        return requestCharset;
    }

    /** The request's declared encoding, else the {@code _charset_} field (HTML5), else UTF-8. */
    private static Charset fieldCharset(HttpServletRequest request, List<SpillwayPart> parts) throws IOException {
        String declared = request.getCharacterEncoding();
        for (SpillwayPart part : parts) {
            if (declared == null && part.getSubmittedFileName() == null && "_charset_".equals(part.getName())) {
                declared = part.text(StandardCharsets.US_ASCII).trim();
            }
        }
        if (declared == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(declared);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
