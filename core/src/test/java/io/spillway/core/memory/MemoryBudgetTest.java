package io.spillway.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.memory.MemoryBudget.Reservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    private final MemoryBudget budget = new MemoryBudget();

    @Test
    void newBudget_holdsNothing() {
        assertHolds(0, 0);
        assertEquals(0, budget.lastCapacity());
    }

    @Test
    void reserve_withinCapacity_holdsTheBytes() {
        Reservation r = budget.tryReserve(300, 1000).orElseThrow();
        assertEquals(300, r.bytes());
        assertFalse(r.isReleased());
        assertHolds(300, 1);
        assertEquals(1000, budget.lastCapacity());
    }

    @Test
    void reserve_exactlyTheCapacity_succeeds() {
        assertTrue(budget.tryReserve(1000, 1000).isPresent());
        assertEquals(1000, budget.reserved());
    }

    @Test
    void reserve_whenBudgetExhausted_refuses() {
        budget.tryReserve(700, 1000).orElseThrow();
        assertEquals(Optional.empty(), budget.tryReserve(301, 1000));
        assertHolds(700, 1);
    }

    @Test
    void reserve_exactlyWhatIsLeft_succeeds() {
        budget.tryReserve(700, 1000).orElseThrow();
        assertTrue(budget.tryReserve(300, 1000).isPresent());
        assertHolds(1000, 2);
    }

    @Test
    void reserve_moreThanTheCapacity_refuses() {
        assertEquals(Optional.empty(), budget.tryReserve(1001, 1000));
        assertHolds(0, 0);
    }

    @Test
    void reserve_capacityShrunkBelowWhatIsHeld_refusesEvenZeroMore() {
        budget.tryReserve(700, 1000).orElseThrow();
        assertEquals(Optional.empty(), budget.tryReserve(0, 500));
        assertEquals(500, budget.lastCapacity());
    }

    @Test
    void reserve_zeroBytes_succeedsWithinCapacity() {
        Reservation r = budget.tryReserve(0, 0).orElseThrow();
        assertEquals(0, r.bytes());
        assertEquals(1, budget.holders());
    }

    @Test
    void reserve_negativeBytes_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> budget.tryReserve(-1, 1000));
        assertEquals("bytes must not be negative: -1", e.getMessage());
        assertEquals(0, budget.holders());
    }

    @Test
    void reserve_negativeCapacity_refuses() {
        assertEquals(Optional.empty(), budget.tryReserve(0, -1));
    }

    @Test
    void reserve_sumOverflowingLong_refusesInsteadOfWrapping() {
        budget.tryReserve(Long.MAX_VALUE - 10, Long.MAX_VALUE).orElseThrow();
        assertEquals(Optional.empty(), budget.tryReserve(Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE - 10, budget.reserved());
    }

    @Test
    void release_returnsTheBytes() {
        Reservation r = budget.tryReserve(300, 1000).orElseThrow();
        r.close();
        assertTrue(r.isReleased());
        assertHolds(0, 0);
        assertTrue(budget.tryReserve(1000, 1000).isPresent());
    }

    @Test
    void close_twice_releasesOnce() {
        Reservation a = budget.tryReserve(300, 1000).orElseThrow();
        budget.tryReserve(200, 1000).orElseThrow();
        a.close();
        a.close();
        assertHolds(200, 1);
    }

    @Test
    void close_inTryWithResources_releases() {
        try (Reservation r = budget.tryReserve(300, 1000).orElseThrow()) {
            assertEquals(r.bytes(), budget.reserved());
        }
        assertEquals(0, budget.reserved());
    }

    @Test
    void close_concurrentlyFromManyThreads_releasesOnce() throws Exception {
        budget.tryReserve(100, 1000).orElseThrow();
        Reservation r = budget.tryReserve(300, 1000).orElseThrow();
        runTogether(8, 32, 30, task -> r.close());
        assertHolds(100, 1);
    }

    @Test
    void reserve_fromManyThreads_neverHoldsMoreThanTheCapacityAndReturnsToZero() throws Exception {
        long capacity = 10_000;
        int threads = 16;
        int rounds = 5_000;
        AtomicLong held = new AtomicLong();
        AtomicLong maxHeld = new AtomicLong();
        AtomicLong maxReserved = new AtomicLong();
        AtomicLong granted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        runTogether(threads, threads, 60, seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            List<Reservation> mine = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                if (mine.isEmpty() || random.nextInt(10) < 6) {
                    long bytes = 1 + random.nextInt(2_000);
                    Optional<Reservation> r = budget.tryReserve(bytes, capacity);
                    maxReserved.accumulateAndGet(budget.reserved(), Math::max);
                    if (r.isEmpty()) {
                        refused.incrementAndGet();
                        continue;
                    }
                    granted.incrementAndGet();
                    maxHeld.accumulateAndGet(held.addAndGet(bytes), Math::max);
                    mine.add(r.get());
                } else {
                    Reservation r = mine.remove(random.nextInt(mine.size()));
                    held.addAndGet(-r.bytes());
                    r.close();
                }
            }
            for (Reservation r : mine) {
                held.addAndGet(-r.bytes());
                r.close();
            }
        });
        assertTrue(maxHeld.get() <= capacity, "held " + maxHeld.get() + " > capacity " + capacity);
        assertTrue(maxReserved.get() <= capacity, "reserved " + maxReserved.get() + " > capacity " + capacity);
        assertTrue(maxHeld.get() > capacity * 3 / 4, "the test never filled the budget: max " + maxHeld.get());
        assertTrue(granted.get() > 0 && refused.get() > 0, granted + " granted, " + refused + " refused");
        assertEquals(0, held.get());
        assertHolds(0, 0);
    }

    private void assertHolds(long reserved, int holders) {
        assertEquals(reserved, budget.reserved());
        assertEquals(holders, budget.holders());
    }

    /** What each of the tasks of {@link #runTogether} does, given its index. */
    @FunctionalInterface
    private interface Task {
        void run(int index) throws Exception;
    }

    /**
     * Runs {@code tasks} tasks on {@code threads} threads, all let go at the same moment so that
     * they race, and waits at most {@code seconds} for each of them to end.
     */
    private static void runTogether(int threads, int tasks, long seconds, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                int index = t;
                running.add(pool.submit(() -> {
                    start.await();
                    task.run(index);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : running) {
                f.get(seconds, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
