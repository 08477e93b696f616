package io.spillway.core.memory;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one global account of bytes that buffered uploads hold in memory.
 *
 * <p>Every buffered upload first reserves its bytes here, so that a hundred concurrent uploads
 * cannot each believe that half of the memory is free: the sum of reservations never exceeds
 * the capacity passed to {@link #tryReserve}. A {@link Reservation} is {@link AutoCloseable}
 * and idempotent, so release cannot be forgotten nor done twice (the shape of Resilience4j's
 * {@code Bulkhead}).
 */
public final class MemoryBudget {

    private final AtomicLong reserved = new AtomicLong();
    private final AtomicInteger holders = new AtomicInteger();
    private final AtomicLong lastCapacity = new AtomicLong();

    /**
     * Reserves {@code bytes} if the sum of all reservations stays within {@code capacity}.
     *
     * @return the reservation, or empty when the budget cannot hold it
     */
    public Optional<Reservation> tryReserve(long bytes, long capacity) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        lastCapacity.set(capacity);
        long current;
        do {
            current = reserved.get();
            if (current + bytes > capacity || current + bytes < 0) {
                return Optional.empty();
            }
        } while (!reserved.compareAndSet(current, current + bytes));
        holders.incrementAndGet();
        return Optional.of(new Reservation(bytes));
    }

    /** Bytes reserved now. */
    public long reserved() {
        return reserved.get();
    }

    /** Reservations held now. */
    public int holders() {
        return holders.get();
    }

    /** The capacity used by the latest reservation attempt. */
    public long lastCapacity() {
        return lastCapacity.get();
    }

    /** Bytes held from the budget until closed. */
    public final class Reservation implements AutoCloseable {
        private final long bytes;
        private final AtomicBoolean released = new AtomicBoolean();

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        /** How many bytes this reservation holds. */
        public long bytes() {
            return bytes;
        }

        public boolean isReleased() {
            return released.get();
        }

        /** Returns the bytes to the budget; later calls do nothing. */
        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                reserved.addAndGet(-bytes);
                holders.decrementAndGet();
            }
        }
    }
}
