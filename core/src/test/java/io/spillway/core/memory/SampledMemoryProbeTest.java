package io.spillway.core.memory;

import static io.spillway.core.testing.Snapshots.GIB;
import static io.spillway.core.testing.Snapshots.MIB;
import static io.spillway.core.testing.Snapshots.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.testing.CapturingExecutor;
import io.spillway.core.testing.FakeMemoryProbe;
import io.spillway.core.testing.Latches;
import io.spillway.core.testing.MutableClock;
import io.spillway.core.time.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SampledMemoryProbeTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock();
    private final ManualTicker ticker = new ManualTicker();
    private final FakeMemoryProbe probe = new FakeMemoryProbe(clock, snapshot().heap(100 * MIB, GIB).build());
    private final CapturingExecutor executor = new CapturingExecutor();

    private SampledMemoryProbe sampled() {
        return new SampledMemoryProbe(probe, ticker, INTERVAL, executor);
    }

    @Test
    void constructor_takesTheFirstReading() {
        SampledMemoryProbe sampled = sampled();
        assertEquals(1, probe.samples());
        assertEquals(100 * MIB, sampled.current().heapUsed());
        assertEquals(MutableClock.START, sampled.current().takenAt());
    }

    @Test
    void current_beforeTheInterval_returnsTheSameReadingWithoutScheduling() {
        SampledMemoryProbe sampled = sampled();
        MemorySnapshot first = sampled.current();
        probe.set(snapshot().heap(900 * MIB, GIB).build());
        advance(INTERVAL.minusMillis(1));
        for (int i = 0; i < 100; i++) {
            assertSame(first, sampled.current());
        }
        assertEquals(0, executor.submitted());
        assertEquals(1, probe.samples());
    }

    @Test
    void current_whenStale_returnsTheOldReadingAndSchedulesOneRefresh() {
        SampledMemoryProbe sampled = sampled();
        MemorySnapshot first = sampled.current();
        probe.set(snapshot().heap(900 * MIB, GIB).build());
        advance(INTERVAL);
        assertSame(first, sampled.current());
        assertEquals(1, executor.submitted());
        assertEquals(1, probe.samples(), "the caller must not sample");
    }

    @Test
    void current_afterTheRefreshRan_returnsTheNewReading() {
        SampledMemoryProbe sampled = sampled();
        probe.set(snapshot().heap(900 * MIB, GIB).build());
        advance(INTERVAL);
        sampled.current();
        executor.runAll();
        assertEquals(2, probe.samples());
        assertEquals(900 * MIB, sampled.current().heapUsed());
        assertEquals(MutableClock.START.plus(INTERVAL), sampled.current().takenAt());
    }

    @Test
    void current_whileARefreshIsPending_schedulesNoOther() {
        SampledMemoryProbe sampled = sampled();
        advance(INTERVAL);
        for (int i = 0; i < 100; i++) {
            sampled.current();
            advance(INTERVAL);
        }
        assertEquals(1, executor.submitted());
    }

    @Test
    void current_afterARefresh_schedulesAgainOnlyWhenStaleAgain() {
        SampledMemoryProbe sampled = sampled();
        advance(INTERVAL);
        sampled.current();
        executor.runAll();
        advance(INTERVAL.minusMillis(1));
        sampled.current();
        assertEquals(1, executor.submitted());
        advance(Duration.ofMillis(1));
        sampled.current();
        assertEquals(2, executor.submitted());
    }

    @Test
    void current_wallClockSetBack_stillRefreshesAfterTheInterval_andTheNewReadingIsKept() {
        SampledMemoryProbe sampled = sampled();
        clock.advance(Duration.ofHours(-1));
        probe.set(snapshot().heap(900 * MIB, GIB).build());
        ticker.advance(INTERVAL);
        sampled.current();
        assertEquals(1, executor.submitted(), "the reading is one interval old, whatever the wall clock says");
        executor.runAll();
        assertEquals(900 * MIB, sampled.current().heapUsed(), "a reading stamped an hour earlier still replaces");
    }

    @Test
    void current_wallClockSetForward_isNotStale() {
        SampledMemoryProbe sampled = sampled();
        clock.advance(Duration.ofHours(1));
        sampled.current();
        assertEquals(0, executor.submitted());
    }

    @Test
    void current_withAnIntervalBeyondTheEndOfTime_neverFailsAndNeverRefreshes() {
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        SampledMemoryProbe sampled = new SampledMemoryProbe(probe, ticker, forever, executor);
        MemorySnapshot first = sampled.current();
        advance(Duration.ofDays(365L * 200));
        assertSame(first, sampled.current());
        assertEquals(0, executor.submitted());
    }

    @Test
    void current_staleWithManyConcurrentCallers_schedulesExactlyOneRefresh() throws Exception {
        SampledMemoryProbe sampled = sampled();
        int threads = 32;
        for (int round = 1; round <= 25; round++) {
            MemorySnapshot before = sampled.current();
            advance(INTERVAL);
            ExecutorService callers = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(callers.submit(() -> {
                        start.await();
                        boolean allOld = true;
                        for (int i = 0; i < 1_000; i++) {
                            allOld &= sampled.current() == before;
                        }
                        return allOld;
                    }));
                }
                start.countDown();
                for (Future<Boolean> r : results) {
                    assertTrue(r.get(30, TimeUnit.SECONDS), "a caller saw a reading that was not yet taken");
                }
            } finally {
                callers.shutdownNow();
            }
            assertEquals(round, executor.submitted(), "refreshes scheduled after round " + round);
            assertEquals(round, probe.samples(), "samples after round " + round);
            executor.runAll();
        }
    }

    @Test
    void current_neverWaitsForASlowProbe() throws Exception {
        ExecutorService refresher = Executors.newSingleThreadExecutor();
        try {
            SampledMemoryProbe sampled = new SampledMemoryProbe(probe, ticker, INTERVAL, refresher);
            MemorySnapshot first = sampled.current();
            CountDownLatch sampling = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            probe.onSample(() -> {
                sampling.countDown();
                await(release);
            });
            probe.set(snapshot().heap(900 * MIB, GIB).build());
            advance(INTERVAL);

            assertSame(first, assertTimeoutPreemptively(HANG_GUARD, sampled::current));
            assertTrue(sampling.await(30, TimeUnit.SECONDS), "the refresh never started");
            for (int i = 0; i < 100; i++) {
                assertSame(first, assertTimeoutPreemptively(HANG_GUARD, sampled::current),
                        "a reading while the probe is stuck");
            }
            assertEquals(2, probe.samples());

            release.countDown();
            refresher.shutdown();
            assertTrue(refresher.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(900 * MIB, sampled.current().heapUsed());
        } finally {
            refresher.shutdownNow();
        }
    }

    @Test
    void current_rejectedByTheExecutor_returnsTheReadingAndTriesAgainLater() {
        AtomicInteger attempts = new AtomicInteger();
        SampledMemoryProbe sampled = new SampledMemoryProbe(probe, ticker, INTERVAL, task -> {
            if (attempts.incrementAndGet() == 1) {
                throw new RejectedExecutionException("queue full");
            }
            executor.execute(task);
        });
        MemorySnapshot first = sampled.current();
        advance(INTERVAL);
        assertSame(first, sampled.current());
        assertEquals(1, attempts.get());
        assertSame(first, sampled.current());
        assertEquals(2, attempts.get());
        assertEquals(1, executor.submitted());
        executor.runAll();
        assertEquals(2, probe.samples());
    }

    @Test
    void refresh_probeThrows_keepsTheOldReadingAndTriesAgainLater() {
        SampledMemoryProbe sampled = sampled();
        MemorySnapshot first = sampled.current();
        probe.onSample(() -> {
            throw new IllegalStateException("probe broke");
        });
        advance(INTERVAL);
        sampled.current();
        assertThrows(IllegalStateException.class, executor::runAll);
        assertSame(first, sampled.current());
        assertEquals(2, executor.submitted());
    }

    @Test
    void refreshNow_samplesOnTheCallingThreadAndPublishes() {
        SampledMemoryProbe sampled = sampled();
        probe.set(snapshot().heap(700 * MIB, GIB).build());
        MemorySnapshot now = sampled.refreshNow();
        assertEquals(700 * MIB, now.heapUsed());
        assertSame(now, sampled.current());
        assertEquals(2, probe.samples());
        assertEquals(0, executor.submitted());
    }

    @Test
    void constructor_nullArguments_throwNamingThem() {
        assertEquals("probe", assertThrows(NullPointerException.class,
                () -> new SampledMemoryProbe(null, ticker, INTERVAL, executor)).getMessage());
        assertEquals("ticker", assertThrows(NullPointerException.class,
                () -> new SampledMemoryProbe(probe, null, INTERVAL, executor)).getMessage());
        assertEquals("interval", assertThrows(NullPointerException.class,
                () -> new SampledMemoryProbe(probe, ticker, null, executor)).getMessage());
        assertEquals("refresher", assertThrows(NullPointerException.class,
                () -> new SampledMemoryProbe(probe, ticker, INTERVAL, null)).getMessage());
    }

    private static void await(CountDownLatch latch) {
        Latches.await(latch, "never released", IllegalStateException::new);
    }

    @Test
    void aBackgroundReadingStartedBeforeRefreshNow_doesNotReplaceIt() throws Exception {
        CountDownLatch sampling = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        MemoryProbe slowSecondSample = () -> switch (calls.incrementAndGet()) {
            case 1 -> snapshot().heap(100 * MIB, GIB).build();
            case 2 -> {
                sampling.countDown();
                await(release);
                yield snapshot().heap(200 * MIB, GIB).build();
            }
            default -> snapshot().heap(300 * MIB, GIB).build();
        };
        ExecutorService refresher = Executors.newSingleThreadExecutor();
        try {
            SampledMemoryProbe sampled = new SampledMemoryProbe(slowSecondSample, ticker, INTERVAL, refresher);
            advance(INTERVAL);
            sampled.current();
            assertTrue(sampling.await(30, TimeUnit.SECONDS), "the background refresh never started");
            assertEquals(300 * MIB, sampled.refreshNow().heapUsed());
            release.countDown();
            refresher.shutdown();
            assertTrue(refresher.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(3, calls.get());
            assertEquals(300 * MIB, sampled.current().heapUsed(), "the reading whose sampling started later stays");
        } finally {
            refresher.shutdownNow();
        }
    }

    /** Time passes: on the ticker, and on the wall clock that stamps the readings. */
    private void advance(Duration elapsed) {
        ticker.advance(elapsed);
        clock.advance(elapsed);
    }
}
