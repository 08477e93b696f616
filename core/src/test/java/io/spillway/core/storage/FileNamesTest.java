package io.spillway.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FileNamesTest {

    @ParameterizedTest(name = "\"{0}\" becomes \"{1}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ../../etc/passwd          | passwd
            /etc/passwd               | passwd
            C:\\Windows\\win.ini      | win.ini
            ..\\..\\boot.ini          | boot.ini
            uploads/../../x/../a.txt  | a.txt
            \\\\server\\share\\f.doc  | f.doc
            report.txt::$DATA         | report.txt
            report.txt:hidden.exe     | report.txt
            photo.jpg.                | photo.jpg
            "photo.jpg . . "        | photo.jpg
            "  photo.jpg  "         | photo.jpg
            CON                       | _CON
            con                       | _con
            aux                       | _aux
            LPT1                      | _LPT1
            COM9.log                  | _COM9.log
            con.txt                   | _con.txt
            NUL.tar.gz                | _NUL.tar.gz
            CON.                      | _CON
            CONSOLE.txt               | CONSOLE.txt
            LPT10                     | LPT10
            Résumé 2024.pdf           | Résumé 2024.pdf
            日本語.txt                 | 日本語.txt
            .htaccess                 | .htaccess
            archive.tar.gz            | archive.tar.gz
            """)
    void sanitize_keepsOnlyAHarmlessBaseName(String clientName, String expected) {
        assertEquals(expected, FileNames.sanitize(clientName));
    }

    @Test
    void sanitize_controlCharacters_areRemoved() {
        assertEquals("ab.txt", FileNames.sanitize("a\u0000b.txt"));
        assertEquals("evil.txt", FileNames.sanitize("evil\r\n.txt"));
        assertEquals("tab.txt", FileNames.sanitize("t\tab.txt"));
        assertEquals("del.txt", FileNames.sanitize("de\u007Fl.txt"));
    }

    @Test
    void sanitize_headerInjectionAttempt_losesItsLineBreaks() {
        String name = FileNames.sanitize("a.txt\r\nContent-Type: text/html");
        assertFalse(name.contains("\r") || name.contains("\n"), name);
    }

    @Test
    void sanitize_c1ControlCharacters_areRemoved() {
        assertEquals("nextline.txt", FileNames.sanitize("next\u0085line.txt"));
        assertEquals("csi.txt", FileNames.sanitize("c\u009Bsi.txt"));
    }

    @Test
    void sanitize_lineAndParagraphSeparators_areRemoved() {
        assertEquals("ab.txt", FileNames.sanitize("a\u2028b\u2029.txt"));
    }

    @Test
    void sanitize_bidiControls_areRemovedSoTheExtensionCannotBeDisguised() {
        assertEquals("invoicefdp.exe", FileNames.sanitize("invoice\u202Efdp.exe"));
        assertEquals("invoicefdp.exe", FileNames.sanitize("invoice\u2067fdp.exe"));
        assertEquals("invoicefdp.exe", FileNames.sanitize("invoice\u202Dfdp\u200F.exe"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"..", ".", "...", "   ", "/", "dir/", "a/..", "C:\\", "\u0000", " . . ", "::$DATA"})
    void sanitize_nothingUsableLeft_givesUnnamed(String clientName) {
        assertEquals(FileNames.UNNAMED, FileNames.sanitize(clientName));
        assertEquals("unnamed", FileNames.sanitize(clientName));
    }

    @Test
    void sanitize_300AsciiBytes_isTruncatedTo255() {
        String name = "a".repeat(296) + ".txt";
        assertEquals("a".repeat(255), FileNames.sanitize(name));
    }

    @Test
    void sanitize_255Bytes_isKept() {
        String name = "a".repeat(251) + ".txt";
        assertEquals(name, FileNames.sanitize(name));
    }

    @ParameterizedTest(name = "{4}: {1} x {0} keeps {2}, {3} bytes")
    @CsvSource(delimiter = '|', textBlock = """
            é  | 150 | 127 | 254 | two-byte characters are cut at a character boundary
            €  | 100 | 85  | 255 | three-byte characters fill exactly 255 bytes
            😀 | 100 | 63  | 252 | surrogate pairs are never split
            """)
    void sanitize_multiByteCharacters_areKeptWhole(String character, int count, int kept, int bytes, String what) {
        String name = FileNames.sanitize(character.repeat(count));
        assertEquals(character.repeat(kept), name);
        assertEquals(bytes, utf8Length(name));
    }

    @Test
    void sanitize_truncationEndingInASpaceOrDot_stripsThemToo() {
        assertEquals("a".repeat(254), FileNames.sanitize("a".repeat(254) + " b"));
        assertEquals("a".repeat(253), FileNames.sanitize("a".repeat(253) + ". b"));
    }

    @Test
    void sanitize_deviceNameWithALongExtension_staysWithin255Bytes() {
        String name = FileNames.sanitize("CON." + "a".repeat(300));
        assertEquals("_CON." + "a".repeat(250), name);
    }

    @Test
    void sanitize_onlyDotsAndSpacesLeftAfterTruncation_givesUnnamed() {
        assertEquals("unnamed", FileNames.sanitize(".." + " ".repeat(300) + "x"));
    }

    private static final Set<String> DEVICES = Set.of("CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4",
            "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private static final String[] PIECES = {"a", "Z", "0", ".", "..", " ", "/", "\\", ":", "::$DATA", "\u0000", "\r",
            "\n", "\t", "\u007F", "\u0085", "\u202E", "\u2028", "CON", "lpt1", "é", "€", "😀", "\uD83D", "$", "%2F",
            "txt", "C:", "~", "*", "?", "\"", "<", ">", "|"};

    @Test
    void sanitize_anyMixOfHostilePieces_givesAHarmlessName() {
        SplittableRandom random = new SplittableRandom(20250101);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder input = new StringBuilder();
            int pieces = random.nextInt(1, random.nextInt(10) == 0 ? 200 : 12);
            for (int p = 0; p < pieces; p++) {
                input.append(PIECES[random.nextInt(PIECES.length)]);
            }
            String name = FileNames.sanitize(input.toString());
            String context = "input " + escape(input.toString()) + " gave " + escape(name);
            assertFalse(name.isEmpty(), context);
            assertTrue(utf8Length(name) <= 255, context);
            assertFalse(name.contains("/") || name.contains("\\") || name.contains(":"), context);
            assertTrue(name.chars().noneMatch(c -> Character.getType(c) == Character.CONTROL), context);
            assertFalse(name.equals(".") || name.equals(".."), context);
            assertFalse(name.endsWith(".") || name.endsWith(" "), context);
            String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            assertFalse(DEVICES.contains(stem.toUpperCase(Locale.ROOT)), context);
        }
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.chars().forEach(c -> out.append(c < 0x20 || c > 0x7E ? String.format("\\u%04X", c) : String.valueOf((char) c)));
        return out.append('"').toString();
    }
}
