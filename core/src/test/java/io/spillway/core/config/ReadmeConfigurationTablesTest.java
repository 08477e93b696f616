package io.spillway.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's init-param tables against the one definition of each parameter ({@link Param}), so
 * that they cannot drift: every definition has exactly one row and every row names a definition,
 * each row's unit is the definition's unit, and each row's default starts with the definition's
 * default written as a value ({@code `8GB`}), which parses to the configuration the filter gets
 * when the parameter is not given.
 */
class ReadmeConfigurationTablesTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-zA-Z0-9]+)` \\| ([^|]*) \\| ([^|]*) \\|");
    private static final Pattern VALUE = Pattern.compile("^`([^`]+)`");

    private final ConfigParser parser = new ConfigParser();

    /** One row of the tables: the unit and default cells. */
    private record Row(String unit, String defaultCell) {
    }

    @Test
    void everyDefinitionHasOneRow_andEveryRowIsADefinition() throws IOException {
        assertEquals(Param.ALL.stream().map(Param::name).sorted().toList(), rows().keySet().stream().sorted().toList());
    }

    @Test
    void everyRowsUnit_isTheDefinitionsUnit() throws IOException {
        for (Param<?> parameter : Param.ALL) {
            assertEquals(parameter.unit(), row(parameter).unit(), "README unit of " + parameter);
        }
    }

    @Test
    void everyRowsDefault_isTheDefinitionsDefault() throws IOException {
        for (Param<?> parameter : Param.ALL) {
            Matcher value = VALUE.matcher(row(parameter).defaultCell());
            if (parameter.defaultText() == null) {
                assertFalse(value.find(), "README gives " + parameter + " a default value, the definition has none");
            } else {
                assertTrue(value.find(), "README default of " + parameter + " is not written as a value");
                assertEquals(parameter.defaultText(), value.group(1), "README default of " + parameter);
            }
        }
    }

    @Test
    void everyDefaultWrittenAsAValue_parsesToTheRealDefault() throws IOException {
        SpillwayConfig defaults = parser.parse(Map.of());
        int checked = 0;
        for (Map.Entry<String, Row> row : rows().entrySet()) {
            Matcher value = VALUE.matcher(row.getValue().defaultCell());
            if (value.find()) {
                assertEquals(defaults, parser.parse(Map.of(row.getKey(), value.group(1))),
                        "README default of " + row.getKey() + ": " + value.group(1));
                checked++;
            }
        }
        assertEquals(Param.ALL.size() - 1, checked, "defaults compared (all but tempDirectory)");
    }

    private static Row row(Param<?> parameter) throws IOException {
        Row row = rows().get(parameter.name());
        assertNotNull(row, parameter + " has no row in the README");
        return row;
    }

    /** Parameter name to its row, from the tables of the configuration section. */
    private static Map<String, Row> rows() throws IOException {
        String readme = Files.readString(README);
        String section = readme.substring(readme.indexOf("## Configuration (init-params)"),
                readme.indexOf("\n## Operations"));
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : section.lines().toList()) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                Row previous = rows.put(row.group(1), new Row(row.group(2).trim(), row.group(3).trim()));
                assertEquals(null, previous, row.group(1) + " has two rows");
            }
        }
        return rows;
    }
}
