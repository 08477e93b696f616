package io.spillway.core.memory;

/**
 * Reads the memory that uploads may use. Implementations may be slow (OSHI reads files under
 * {@code /proc}); callers on a request path use {@link SampledMemoryProbe}, which never waits.
 */
@FunctionalInterface
public interface MemoryProbe {

    /** Takes a fresh reading. */
    MemorySnapshot sample();
}
