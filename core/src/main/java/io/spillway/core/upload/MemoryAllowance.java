package io.spillway.core.upload;

/**
 * The bytes one request may still hold in memory: its share of a budget reservation. Used by one
 * request thread at a time.
 */
final class MemoryAllowance {

    private long remaining;

    MemoryAllowance(long bytes) {
        this.remaining = bytes;
    }

    boolean tryTake(long bytes) {
        if (bytes > remaining) {
            remaining = 0;
            return false;
        }
        remaining -= bytes;
        return true;
    }
}
