package io.spillway.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spillway.core.internal.json.Json;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleJsonTest {

    @Test
    void write_nestedDocument_isCompactJsonInInsertionOrder() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("files", List.of(Map.of("size", 3L)));
        document.put("ok", true);
        document.put("missing", null);

        assertEquals("{\"files\":[{\"size\":3}],\"ok\":true,\"missing\":null}", SampleJson.write(document));
    }

    @Test
    void write_stringWithQuotesControlsAndMarkup_isEscaped() {
        assertEquals("\"a\\\"b\\\\c\\u000a\\u003c/script\\u003e\\u0026\"", SampleJson.write("a\"b\\c\n</script>&"));
    }

    @Test
    void write_anyText_readsBackUnchangedWithAStrictParser() {
        String text = "r\u00e9sum\u00e9 \u2028 \t \u0001 \"quoted\" <b>";
        List<Object> written = Arrays.asList(text, 12L, false, null);

        assertEquals(written, Json.parse(SampleJson.write(written)));
    }
}
