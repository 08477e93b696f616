package io.spillway.core.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParamTest {

    @Test
    void all_holdsEveryDefinitionOnce() {
        List<Object> declared = Arrays.stream(Param.class.getFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == Param.class)
                .map(ParamTest::valueOf).toList();
        assertEquals(declared.size(), Param.ALL.size());
        assertEquals(Param.ALL.size(), Param.ALL.stream().map(Param::name).distinct().count());
        declared.forEach(parameter -> assertEquals(true, Param.ALL.contains(parameter), parameter.toString()));
    }

    @Test
    void everyDefault_keepsItsOwnRule() {
        Param.ALL.forEach(parameter -> assertDefaultKept(parameter));
    }

    @Test
    void everyExample_isAcceptedByItsOwnParameter() {
        for (Param<?> parameter : Param.ALL) {
            assertNull(parameter.applyTo(SpillwayConfig.custom(), parameter.example()), parameter.name());
        }
    }

    @Test
    void examplesOtherThanTheDefault_areTheseDeliberateOnes() {
        List<String> differing = Param.ALL.stream().filter(p -> !p.example().equals(p.defaultText()))
                .map(p -> p.name() + "=" + p.example()).toList();
        assertEquals(List.of("tempDirectory=/var/tmp/spillway", "maxFileSize=4GB", "maxRequestSize=4GB",
                "digestAlgorithm=SHA-256", "nonBlockingIntake=true"), differing);
    }

    @Test
    void defaults_areTheBuildersDefaults() {
        SpillwayConfig defaults = SpillwayConfig.ofDefaults();
        Param.ALL.forEach(parameter -> assertEquals(parameter.defaultValue(), parameter.valueIn(defaults),
                parameter.name()));
    }

    @Test
    void require_valueBreakingTheRule_namesTheParameterAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Param.MEMORY_FRACTION.require(1.5));
        assertEquals("memoryFraction must be greater than 0 and at most 1: 1.5", e.getMessage());
    }

    @Test
    void require_nullWhereThereIsADefault_namesTheParameter() {
        assertEquals("retryAfter", assertThrows(NullPointerException.class,
                () -> Param.RETRY_AFTER.require(null)).getMessage());
        assertDoesNotThrow(() -> Param.DIGEST_ALGORITHM.require(null));
    }

    private static <T> void assertDefaultKept(Param<T> parameter) {
        assertDoesNotThrow(() -> parameter.require(parameter.defaultValue()), parameter.name());
    }

    private static Object valueOf(Field field) {
        try {
            return field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
