package io.spillway.core.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.routing.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    // writing

    @Test
    void write_scalars() {
        assertEquals("null", Json.write(null));
        assertEquals("\"a\"", Json.write("a"));
        assertEquals("5", Json.write(5L));
        assertEquals("7", Json.write(7));
        assertEquals("1.5", Json.write(1.5));
        assertEquals("true", Json.write(true));
        assertEquals("false", Json.write(false));
    }

    @Test
    void write_nonFiniteNumbers_becomeNull() {
        assertEquals("null", Json.write(Double.NaN));
        assertEquals("null", Json.write(Double.POSITIVE_INFINITY));
        assertEquals("null", Json.write(Double.NEGATIVE_INFINITY));
        assertEquals("null", Json.write(Float.NaN));
        assertEquals("null", Json.write(Float.POSITIVE_INFINITY));
    }

    @Test
    void write_mapKeepsItsOrder() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("b", 1L);
        map.put("a", Arrays.asList(true, null, "x"));
        map.put("c", Map.of());
        map.put("d", List.of());
        assertEquals("{\"b\":1,\"a\":[true,null,\"x\"],\"c\":{},\"d\":[]}", Json.write(map));
    }

    @Test
    void write_nonStringKeys_areQuoted() {
        assertEquals("{\"1\":\"a\"}", Json.write(Map.of(1, "a")));
    }

    @Test
    void write_anyIterable_isAnArray() {
        assertEquals("[\"x\",\"y\"]", Json.write(new LinkedHashSet<>(List.of("x", "y"))));
    }

    @Test
    void write_enum_isItsName() {
        assertEquals("\"BUFFERED\"", Json.write(Route.Kind.BUFFERED));
    }

    @Test
    void write_otherObjects_areTheirQuotedText() {
        assertEquals("\"/tmp/x\"", Json.write(Path.of("/tmp/x")));
        assertEquals("\"PT5S\"", Json.write(Duration.ofSeconds(5)));
    }

    @Test
    void write_pathsInsideADocument_areText() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", Path.of("/tmp/spw-1.part"));
        doc.put("parts", List.of(Path.of("a"), Path.of("b/c")));
        assertEquals("{\"file\":\"/tmp/spw-1.part\",\"parts\":[\"a\",\"b/c\"]}", Json.write(doc));
    }

    static Stream<Arguments> escapes() {
        return Stream.of(
                Arguments.of("quote", "a\"b", "\"a\\\"b\""),
                Arguments.of("backslash", "a\\b", "\"a\\\\b\""),
                Arguments.of("slash", "a/b", "\"a/b\""),
                Arguments.of("non-ascii", "é€😀", "\"é€😀\""),
                Arguments.of("newline, carriage return and tab", "\n\r\t", "\"\\n\\r\\t\""),
                Arguments.of("other control characters", "\u0000\b\f\u001f", "\"\\u0000\\u0008\\u000c\\u001f\""),
                Arguments.of("DEL, which is no control character to JSON", "\u007f", "\"\u007f\""),
                Arguments.of("html specials, so that JSON can sit in a script tag", "</script>&",
                        "\"\\u003c/script\\u003e\\u0026\""),
                Arguments.of("line and paragraph separators", "\u2028\u2029", "\"\\u2028\\u2029\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapes")
    void write_escapesWhatJsonRequires(String what, String text, String json) {
        assertEquals(json, Json.write(text));
    }

    // reading

    @Test
    void parse_scalars() {
        assertNull(Json.parse("null"));
        assertEquals(true, Json.parse("true"));
        assertEquals(false, Json.parse("false"));
        assertEquals("x", Json.parse("\"x\""));
        assertEquals("", Json.parse("\"\""));
    }

    @Test
    void parse_integers_areLongs() {
        assertEquals(0L, Json.parse("0"));
        assertEquals(-12L, Json.parse("-12"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertInstanceOf(Long.class, Json.parse("42"));
    }

    @Test
    void parse_fractionsAndExponents_areDoubles() {
        assertEquals(1.5, Json.parse("1.5"));
        assertEquals(1000.0, Json.parse("1e3"));
        assertEquals(1000.0, Json.parse("1E3"));
        assertEquals(0.025, Json.parse("2.5E-2"));
        assertEquals(-0.0, Json.parse("-0.0"));
        assertEquals(1.0, Json.parse("1.0"));
        assertInstanceOf(Double.class, Json.parse("1.0"));
    }

    @Test
    void parse_integerBeyondLong_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("9223372036854775808"));
        assertEquals("malformed JSON at 19: bad number", e.getMessage());
    }

    @Test
    void parse_whitespaceAnywhereBetweenTokens() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", List.of(1L, 2L));
        assertEquals(expected, Json.parse(" \t\r\n{ \"a\" : [ 1 , 2 ] } \n"));
    }

    @Test
    void parse_nestedDocument() {
        Object parsed = Json.parse("{\"a\":{\"b\":[{\"c\":null},[],{}]}}");
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("c", null);
        assertEquals(Map.of("a", Map.of("b", List.of(c, List.of(), Map.of()))), parsed);
    }

    @Test
    void parse_escapes() {
        assertEquals("é\n\r\t\b\f/\\\"", Json.parse("\"\\u00e9\\n\\r\\t\\b\\f\\/\\\\\\\"\""));
        assertEquals("😀", Json.parse("\"\\ud83d\\ude00\""));
        assertEquals("<&>", Json.parse("\"\\u003C\\u0026\\u003e\""));
    }

    @Test
    void parse_duplicateKey_keepsTheLast() {
        assertEquals(Map.of("a", 2L), Json.parse("{\"a\":1,\"a\":2}"));
    }

    @Test
    void parseObject_keepsKeyOrder() {
        Map<String, Object> map = Json.parseObject("{\"z\":1,\"a\":2,\"m\":3}");
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(map.keySet()));
    }

    @Test
    void parseObject_ofAnythingElse_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[]"));
        assertEquals("JSON document is not an object", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("null"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("\"{}\""));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            ''              | malformed JSON at 0: unexpected end
            '   '           | malformed JSON at 3: unexpected end
            {               | malformed JSON at 1: unexpected end
            [               | malformed JSON at 1: unexpected end
            [1,]            | malformed JSON at 3: unexpected character
            {"a":1,}      | malformed JSON at 7: expected a key
            {a:1}           | malformed JSON at 1: expected a key
            {"a" 1}       | malformed JSON at 5: expected :
            {"a":1 "b":2} | malformed JSON at 7: expected , or }
            [1 2]           | malformed JSON at 3: expected , or ]
            tru             | malformed JSON at 0: unexpected literal
            nul             | malformed JSON at 0: unexpected literal
            "abc           | malformed JSON at 4: unexpected end
            "\\x"         | malformed JSON at 3: bad escape
            "\\u12"       | malformed JSON at 3: bad unicode escape
            "\\u12g4"     | malformed JSON at 3: bad unicode escape
            "\\u+041"     | malformed JSON at 3: bad unicode escape
            "\\u-041"     | malformed JSON at 3: bad unicode escape
            "\\u\u0660\u066041" | malformed JSON at 3: bad unicode escape
            {} x            | malformed JSON at 3: trailing characters
            {}{}            | malformed JSON at 2: trailing characters
            NaN             | malformed JSON at 0: unexpected character
            Infinity        | malformed JSON at 0: unexpected character
            '''a'''         | malformed JSON at 0: unexpected character
            1-2             | malformed JSON at 3: bad number
            --1             | malformed JSON at 3: bad number
            1.2.3           | malformed JSON at 5: bad number
            -               | malformed JSON at 1: bad number
            01              | malformed JSON at 2: bad number
            +1              | malformed JSON at 2: bad number
            1.              | malformed JSON at 2: bad number
            .5              | malformed JSON at 2: bad number
            1e              | malformed JSON at 2: bad number
            1e999           | malformed JSON at 5: bad number
            """)
    void parse_malformed_throwsWithPositionAndReason(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void parse_rawControlCharacterInAString_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("\"a\nb\""));
        assertEquals("malformed JSON at 3: control character in string", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u000B{}", "{}\u000C", "\u2003[]", "[1,\u00A02]", "{\u001C}"})
    void parse_whitespaceJsonDoesNotKnow_throws(String text) {
        assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
    }

    @Test
    void parse_32LevelsDeep_isAccepted() {
        String text = "[".repeat(32) + "]".repeat(32);
        Object value = Json.parse(text);
        for (int i = 0; i < 31; i++) {
            value = ((List<?>) value).get(0);
        }
        assertEquals(List.of(), value);
    }

    @Test
    void parse_deeplyNestedArrays_throwsInsteadOfOverflowingTheStack() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("[".repeat(100_000)));
        assertEquals("malformed JSON at 33: nested too deeply", e.getMessage());
    }

    @Test
    void parse_deeplyNestedObjects_throwsInsteadOfOverflowingTheStack() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("{\"a\":".repeat(100_000)));
        assertTrue(e.getMessage().endsWith("nested too deeply"), e.getMessage());
    }

    // round trips

    @Test
    void roundTrip_documentWithEveryKindOfValue() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", "3f2a9c0e5b7d4e1f8a6b2c4d0e9f1a3b");
        doc.put("offset", 1_073_741_824L);
        doc.put("ratio", 0.5);
        doc.put("done", false);
        doc.put("expires", null);
        doc.put("name", "Résumé \"final\" <v2> & co\n\t\u2028😀\\");
        doc.put("parts", List.of(Map.of("size", 0L), Map.of("size", Long.MAX_VALUE)));
        doc.put("nested", Map.of("empty", List.of(), "negative", -3L, "tiny", 1.0E-300));
        assertEquals(doc, Json.parseObject(Json.write(doc)));
    }

    @Test
    void roundTrip_anyString() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(40);
            for (int c = 0; c < length; c++) {
                s.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x80) : (char) random.nextInt(0x10000));
            }
            String text = s.toString();
            String json = Json.write(text);
            assertEquals(text, Json.parse(json), json);
            assertTrue(json.chars().noneMatch(c -> c < 0x20 || c == '<' || c == '>' || c == '&'
                    || c == 0x2028 || c == 0x2029), json);
        }
    }

    @Test
    void roundTrip_numbers() {
        for (long n : new long[] {0, 1, -1, 1L << 53, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertEquals(n, Json.parse(Json.write(n)));
        }
        for (double d : new double[] {0.5, -2.75, 1e-7, 1.0E300, Double.MIN_VALUE, Double.MAX_VALUE}) {
            assertEquals(d, Json.parse(Json.write(d)));
        }
    }

    @Test
    void parse_integerWrittenFromAnInt_comesBackAsLong() {
        assertEquals(7L, Json.parse(Json.write(7)));
        assertFalse(Json.parse(Json.write(7)) instanceof Integer);
    }
}
