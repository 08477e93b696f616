package io.spillway.core.multipart;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed {@code Content-Disposition} part header: its type ({@code form-data},
 * {@code attachment}), the field {@code name} and the {@code filename} as sent (RFC 7578; the
 * RFC 5987 {@code filename*} form wins when present). The file name is raw client text: callers
 * pass it through {@link io.spillway.core.storage.FileNames#sanitize} before use.
 */
public final class ContentDisposition {

    private static final ContentDisposition NONE = new ContentDisposition("", Map.of());

    private final String type;
    private final Map<String, String> parameters;

    private ContentDisposition(String type, Map<String, String> parameters) {
        this.type = type;
        this.parameters = parameters;
    }

    /** Parses a header value; null gives an empty disposition. */
    public static ContentDisposition parse(String value) throws MalformedMultipartException {
        if (value == null) {
            return NONE;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        int i = value.indexOf(';');
        String type = (i < 0 ? value : value.substring(0, i)).trim().toLowerCase(Locale.ROOT);
        while (i >= 0 && i < value.length()) {
            i++;
            int eq = value.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            int pos = eq + 1;
            while (pos < value.length() && value.charAt(pos) == ' ') {
                pos++;
            }
            StringBuilder v = new StringBuilder();
            if (pos < value.length() && value.charAt(pos) == '"') {
                pos++;
                boolean closed = false;
                while (pos < value.length()) {
                    char c = value.charAt(pos++);
                    if (c == '\\' && pos < value.length() && isEscapable(value.charAt(pos))) {
                        v.append(value.charAt(pos++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        v.append(c);
                    }
                }
                if (!closed) {
                    throw new MalformedMultipartException("unterminated quoted string in Content-Disposition");
                }
                i = value.indexOf(';', pos);
            } else {
                int semi = value.indexOf(';', pos);
                v.append((semi < 0 ? value.substring(pos) : value.substring(pos, semi)).trim());
                i = semi;
            }
            parameters.putIfAbsent(key, v.toString());
        }
        return new ContentDisposition(type, Map.copyOf(parameters));
    }

    public String type() {
        return type;
    }

    /** The form field name, or null. */
    public String name() {
        return parameters.get("name");
    }

    /** The file name as sent ({@code filename*} decoded when present), or null for a plain field. */
    public String fileName() {
        String extended = parameters.get("filename*");
        if (extended != null) {
            String decoded = decodeExtended(extended);
            if (decoded != null) {
                return decoded;
            }
        }
        return parameters.get("filename");
    }

    /** Whether the part carries a file (has a file name, possibly empty). */
    public boolean isFile() {
        return parameters.containsKey("filename") || parameters.containsKey("filename*");
    }

    /**
     * Whether a backslash escapes this character. Browsers never escape (they percent-encode
     * {@code "} as {@code %22}) and send Windows paths with bare backslashes, so only {@code \"}
     * and {@code \\} are quoted pairs; any other backslash is a character of the value.
     */
    private static boolean isEscapable(char c) {
        return c == '"' || c == '\\';
    }

    private static String decodeExtended(String value) {
        int first = value.indexOf('\'');
        int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
        if (second < 0) {
            return null;
        }
        try {
            Charset charset = Charset.forName(value.substring(0, first).trim());
            return URLDecoder.decode(value.substring(second + 1).replace("+", "%2B"), charset);
        } catch (RuntimeException e) {
            return null;
        }
    }

}
