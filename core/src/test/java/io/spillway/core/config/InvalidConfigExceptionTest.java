package io.spillway.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvalidConfigExceptionTest {

    @Test
    void message_listsEveryProblemOnItsOwnLine() {
        InvalidConfigException e = new InvalidConfigException(List.of("a is wrong", "b is wrong"));
        assertEquals("invalid Spillway configuration:\n  a is wrong\n  b is wrong", e.getMessage());
    }

    @Test
    void problems_isACopyThatCannotBeModified() {
        List<String> problems = new ArrayList<>(List.of("a is wrong"));
        InvalidConfigException e = new InvalidConfigException(problems);
        problems.add("later");
        assertEquals(List.of("a is wrong"), e.problems());
        assertThrows(UnsupportedOperationException.class, () -> e.problems().add("x"));
    }

    @Test
    void isAnIllegalArgumentException() {
        assertEquals(IllegalArgumentException.class, InvalidConfigException.class.getSuperclass());
    }
}
