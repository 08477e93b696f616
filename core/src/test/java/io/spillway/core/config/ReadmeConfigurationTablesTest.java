package io.spillway.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's init-param tables against the parser, so that they cannot drift: every parameter
 * is in exactly one row, no row names a parameter that does not exist, and every default written
 * as a value ({@code `8GB`}) parses to the configuration the filter gets when the parameter is
 * not given.
 */
class ReadmeConfigurationTablesTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-zA-Z0-9]+)` \\|[^|]*\\| ([^|]*) \\|");
    private static final Pattern VALUE = Pattern.compile("^`([^`]+)`");

    private final ConfigParser parser = new ConfigParser();

    @Test
    void everyParameterHasOneRow_andNoRowNamesAnUnknownOne() throws IOException {
        List<String> documented = new ArrayList<>(rows().keySet());
        assertEquals(List.copyOf(parser.names()).stream().sorted().toList(), documented.stream().sorted().toList());
    }

    @Test
    void everyDefaultWrittenAsAValue_isTheRealDefault() throws IOException {
        SpillwayConfig defaults = parser.parse(Map.of());
        int checked = 0;
        for (Map.Entry<String, String> row : rows().entrySet()) {
            Matcher value = VALUE.matcher(row.getValue().trim());
            if (!value.find()) {
                continue;
            }
            assertEquals(defaults, parser.parse(Map.of(row.getKey(), value.group(1))),
                    "README default of " + row.getKey() + ": " + value.group(1));
            checked++;
        }
        assertTrue(checked >= 20, "defaults compared: " + checked);
    }

    /** Parameter name to its default cell, from the rows of the configuration section. */
    private static Map<String, String> rows() throws IOException {
        String readme = Files.readString(README);
        String section = readme.substring(readme.indexOf("## Configuration (init-params)"),
                readme.indexOf("\n## Operations"));
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : section.lines().toList()) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                String previous = rows.put(row.group(1), row.group(2));
                assertEquals(null, previous, row.group(1) + " has two rows");
            }
        }
        return rows;
    }
}
