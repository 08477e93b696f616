package io.spillway.core.config;

import java.util.List;

/**
 * Thrown when configuration values are unknown or malformed. The message lists every problem
 * found, one per line, each naming the parameter, the bad value and an example of a good one.
 */
public final class InvalidConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super("invalid Spillway configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, one sentence each. */
    public List<String> problems() {
        return problems;
    }
}
