package io.spillway.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HarnessOptionsTest {

    @Test
    void defaults_areTheFullRunOfEveryServerAndScenario() {
        HarnessOptions options = HarnessOptions.parse();
        assertEquals(Profile.FULL, options.profile());
        assertEquals(EnumSet.allOf(ServerKind.class), options.servers());
        assertEquals(Set.of(1, 2, 3, 4), options.scenarios());
    }

    @Test
    void options_selectProfileServersScenariosAndDirectories() {
        HarnessOptions options = HarnessOptions.parse("--quick", "--servers", "r,B", "--scenarios", "2,4", "--out", "x", "--work", "y", "--jfr");
        assertEquals(Profile.QUICK, options.profile());
        assertEquals(EnumSet.of(ServerKind.B, ServerKind.R), options.servers());
        assertEquals(Set.of(2, 4), options.scenarios());
        assertEquals(Path.of("x"), options.outputDir());
        assertEquals(Path.of("y"), options.workDir());
        assertTrue(options.flightRecordings());
        assertEquals(Map.of(), options.spillwayParams());
    }

    @Test
    void spillway_takesInitParamsForServerA() {
        HarnessOptions options = HarnessOptions.parse("--spillway", "nonBlockingIntake=true, minUploadRate=0");
        assertEquals(Map.of("nonBlockingIntake", "true", "minUploadRate", "0"), options.spillwayParams());
        assertEquals("--spillway takes name=value pairs separated by commas: true",
                assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--spillway", "true")).getMessage());
    }

    @Test
    void mistakes_areNamed() {
        assertEquals("--servers takes letters among A,B,C,D,R: X",
                assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--servers", "A,X")).getMessage());
        assertEquals("--scenarios takes numbers among 1,2,3,4: 5",
                assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--scenarios", "5")).getMessage());
        assertEquals("--out needs a value", assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--out")).getMessage());
        assertEquals("unknown option: --fast", assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--fast")).getMessage());
    }
}
