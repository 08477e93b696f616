package io.spillway.core.upload;

import io.spillway.core.memory.MemoryBudget;
import java.util.Optional;

/**
 * Reserves memory for the buffers a {@link SpillTarget} fills before it sends them (an object
 * store's part buffer), from the same budget that buffered uploads reserve from, so that part
 * buffers and buffered uploads together stay within {@code memoryFraction} of available memory.
 */
@FunctionalInterface
public interface BufferReservations {

    /**
     * Reserves {@code bytes}.
     *
     * @return the reservation, to be closed when the buffer is dropped, or empty when the budget
     *         cannot hold it now
     */
    Optional<MemoryBudget.Reservation> tryReserve(long bytes);

    /** Reservations from {@code budget} against a fixed capacity (tests, tools). */
    static BufferReservations of(MemoryBudget budget, long capacity) {
        return bytes -> budget.tryReserve(bytes, capacity);
    }
}
