package io.spillway.core.storage;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a file name sent by a client into a harmless base name kept as metadata only.
 *
 * <p>Storage paths are always made by the server; this sanitized name is what the application
 * sees in {@code Part.getSubmittedFileName()}. Directories ({@code /} and {@code \}), drive
 * letters, alternate data streams ({@code ::$DATA}), control characters (NUL, CR, LF, the C1 range),
 * bidirectional-text controls that can disguise an extension ({@code U+202E}), trailing
 * dots and spaces and Windows device names ({@code CON}, {@code LPT1}) are removed or defused,
 * and the result is at most 255 UTF-8 bytes.
 */
public final class FileNames {

    private static final int MAX_BYTES = 255;
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\u2028\\u2029\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]");
    private static final Set<String> DEVICES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    /** Used when nothing usable remains of a name. */
    public static final String UNNAMED = "unnamed";

    private FileNames() {
    }

    /** The sanitized base name; never empty, never a path. */
    public static String sanitize(String clientName) {
        if (clientName == null) {
            return UNNAMED;
        }
        String name = CONTROL.matcher(clientName).replaceAll("");
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);
        int colon = name.indexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon);
        }
        name = stripTrailingDotsAndSpaces(name.strip());
        String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        if (DEVICES.contains(stem.toUpperCase(Locale.ROOT))) {
            name = "_" + name;
        }
        name = stripTrailingDotsAndSpaces(truncate(name));
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return UNNAMED;
        }
        return name;
    }

    private static String stripTrailingDotsAndSpaces(String name) {
        int end = name.length();
        while (end > 0 && (name.charAt(end - 1) == '.' || name.charAt(end - 1) == ' ')) {
            end--;
        }
        return name.substring(0, end);
    }

    private static String truncate(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return name;
        }
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_BYTES) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += size;
            i += Character.charCount(cp);
        }
        return out.toString();
    }
}
