package io.spillway.servlet.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.storage.FileNames;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** What a sanitized client file name must be, whatever the client sent (THREATS.md 10). */
final class SafeNames {

    private static final Pattern FORBIDDEN = Pattern.compile("[/\\\\:\\p{Cntrl}\\u2028\\u2029\\u202E]");
    private static final Set<String> DEVICES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private SafeNames() {
    }

    /** Asserts every invariant of a sanitized base name. */
    static void assertSafe(String sent, String name) {
        String context = "sanitized '" + sent + "' as '" + name + "'";
        assertFalse(name.isEmpty(), context);
        assertFalse(FORBIDDEN.matcher(name).find(), context + ": no separator, colon or control character");
        assertFalse(name.equals(".") || name.equals(".."), context);
        char last = name.charAt(name.length() - 1);
        assertFalse(last == '.' || Character.isWhitespace(last) || Character.isSpaceChar(last),
                context + ": no trailing dot or space of any kind");
        assertFalse(name.startsWith(" "), context + ": no leading space");
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 255, context + ": at most 255 bytes");
        String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        assertFalse(DEVICES.contains(stem.toUpperCase(Locale.ROOT)), context + ": not a Windows device");
        assertEquals(name, FileNames.sanitize(name), context + ": sanitizing twice changes nothing");
    }
}
