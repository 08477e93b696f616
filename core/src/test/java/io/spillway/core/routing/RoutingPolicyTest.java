package io.spillway.core.routing;

import static io.spillway.core.testing.Snapshots.GIB;
import static io.spillway.core.testing.Snapshots.KIB;
import static io.spillway.core.testing.Snapshots.MIB;
import static io.spillway.core.testing.Snapshots.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.memory.MemoryBudget;
import io.spillway.core.memory.MemorySnapshot;
import io.spillway.core.routing.Route.Kind;
import io.spillway.core.testing.Snapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The routing rules with plain numbers. Unless a test says otherwise: 812 MiB available (heap
 * headroom), so the budget is 406 MiB; inMemoryThreshold 10 MiB; diskReserve 512 MiB; 100 GiB free.
 */
class RoutingPolicyTest {

    private static final long PLENTY_OF_DISK = 100 * GIB;
    private static final MemorySnapshot ROOMY = snapshot().heap(212 * MIB, GIB).physical(8 * GIB, 16 * GIB).build();
    private static final MemorySnapshot CRITICAL = snapshot().heap(973 * MIB, GIB).physical(8 * GIB, 16 * GIB).build();

    private static final SpillwayConfig CONFIG = SpillwayConfig.custom()
            .maxFileSize(4 * GIB)
            .maxRequestSize(4 * GIB)
            .inMemoryThreshold(10 * MIB)
            .memoryFraction(0.5)
            .criticalHeapRatio(0.9)
            .diskReserve(512 * MIB)
            .unknownLengthBuffer(MIB)
            .retryAfter(Duration.ofSeconds(5))
            .build();

    private final MemoryBudget budget = new MemoryBudget();
    private final RoutingPolicy policy = new RoutingPolicy(CONFIG, budget);

    private static UploadFacts length(long bytes) {
        return UploadFacts.ofLength(bytes);
    }

    /** Checks that {@code route} refuses with this status and Retry-After, and that it reserved nothing. */
    private void assertRejectedReservingNothing(Route route, int status, long retryAfterSeconds) {
        assertEquals(Kind.REJECTED, route.kind());
        assertEquals(status, route.status());
        assertEquals(retryAfterSeconds, route.retryAfterSeconds());
        assertNothingReserved();
    }

    private void assertNothingReserved() {
        assertEquals(0, budget.reserved());
        assertEquals(0, budget.holders());
    }

    @Test
    void budget_isTheOneGiven() {
        assertSame(budget, policy.budget());
    }

    // maxRequestSize

    @Test
    void decide_declaredLengthOverMaxRequestSize_rejects413() {
        Route route = policy.decide(length(5 * GIB), ROOMY, PLENTY_OF_DISK);
        assertEquals("request body of 5.0 GiB exceeds maxRequestSize 4.0 GiB", route.reason());
        assertEquals("REJECTED: request body of 5.0 GiB exceeds maxRequestSize 4.0 GiB", route.toString());
        assertNull(route.reservation());
        assertRejectedReservingNothing(route, 413, 0);
    }

    // admission by count: 406 MiB budget, memoryPerUpload 256 KiB (the default): 1,624 uploads fit

    @Test
    void decide_uploadsInFlightWithinTheBudget_areRoutedAsUsual() {
        assertEquals(Kind.STREAMED, policy.decide(length(100 * MIB), ROOMY, PLENTY_OF_DISK, 1624).kind());
        Route small = policy.decide(length(KIB), ROOMY, PLENTY_OF_DISK, 1000);
        assertEquals(Kind.BUFFERED, small.kind());
        small.release();
    }

    @Test
    void decide_oneUploadMoreThanMemoryHolds_is503WithRetryAfter_andReservesNothing() {
        Route route = policy.decide(length(KIB), ROOMY, PLENTY_OF_DISK, 1625);
        assertEquals("too many uploads in flight: 1625 at memoryPerUpload 256 KiB exceed 50% of 812 MiB available "
                + "(heap headroom)", route.reason());
        assertRejectedReservingNothing(route, 503, 5);
    }

    @Test
    void decide_aFullBufferBudget_streamsTheNextUpload_ratherThanRefusingIt() {
        MemoryBudget.Reservation held = budget.tryReserve(406 * MIB, 406 * MIB).orElseThrow();
        assertEquals(Kind.STREAMED, policy.decide(length(KIB), ROOMY, PLENTY_OF_DISK, 500).kind(),
                "buffers and per-upload costs each have memoryFraction: the count is checked alone");
        held.close();
    }

    @Test
    void decide_memoryPerUploadZero_turnsAdmissionByCountOff() {
        RoutingPolicy uncounted = new RoutingPolicy(CONFIG.toBuilder().memoryPerUpload(0).build(), budget);
        assertEquals(Kind.STREAMED, uncounted.decide(length(100 * MIB), ROOMY, PLENTY_OF_DISK, 1_000_000).kind());
    }

    // admission by file descriptors: 10% of the process's limit, at least 64, stays free

    @Test
    void decide_freeDescriptorsDownToTheReserve_is503WithRetryAfter_evenForTheFirstUpload() {
        MemorySnapshot fewLeft = Snapshots.from(ROOMY).descriptors(900, 1000).build();
        Route route = policy.decide(length(KIB), fewLeft, PLENTY_OF_DISK, 1);
        assertEquals("too few file descriptors left: 900 of 1000 open, 100 are kept for connections and files",
                route.reason());
        assertRejectedReservingNothing(route, 503, 5);
        assertEquals(Optional.of(route.reason()), policy.refuseOverCount(fewLeft, 1).map(Route::reason),
                "a resumable request is held to it too");
    }

    @Test
    void decide_oneDescriptorAboveTheReserve_isRoutedAsUsual() {
        assertEquals(Kind.STREAMED, policy.decide(length(100 * MIB),
                Snapshots.from(ROOMY).descriptors(899, 1000).build(), PLENTY_OF_DISK, 1).kind());
    }

    @Test
    void decide_aSmallDescriptorLimit_keepsAtLeast64Free() {
        assertEquals(503, policy.decide(length(KIB), Snapshots.from(ROOMY).descriptors(136, 200).build(),
                PLENTY_OF_DISK, 1).status());
        assertEquals(Kind.STREAMED, policy.decide(length(100 * MIB),
                Snapshots.from(ROOMY).descriptors(135, 200).build(), PLENTY_OF_DISK, 1).kind());
    }

    @Test
    void decide_descriptorsNotCounted_admitAsBefore() {
        assertEquals(Kind.STREAMED, policy.decide(length(100 * MIB), ROOMY, PLENTY_OF_DISK, 1).kind());
    }

    @Test
    void decide_oneByteOverMaxRequestSize_rejects413() {
        assertEquals(413, policy.decide(length(4 * GIB + 1), ROOMY, PLENTY_OF_DISK).status());
    }

    @Test
    void decide_exactlyMaxRequestSize_isNotRejected() {
        assertEquals(Kind.STREAMED, policy.decide(length(4 * GIB), ROOMY, PLENTY_OF_DISK).kind());
    }

    @Test
    void decide_overMaxRequestSize_isRejected413EvenWhenMemoryIsCriticalAndTheDiskFull() {
        Route route = policy.decide(length(5 * GIB), CRITICAL, 0);
        assertEquals(413, route.status());
        assertNothingReserved();
    }

    // inMemoryThreshold

    @Test
    void decide_exactlyInMemoryThreshold_isBuffered() {
        Route route = policy.decide(length(10 * MIB), ROOMY, PLENTY_OF_DISK);
        assertEquals(Kind.BUFFERED, route.kind());
        assertEquals("BUFFERED: 10 MiB reserved, 10 MiB of 406 MiB budget in use", route.toString());
        assertEquals(10 * MIB, route.memoryAllowance());
        assertEquals(10 * MIB, route.reservation().bytes());
        assertEquals(10 * MIB, budget.reserved());
        assertEquals(0, route.status());
    }

    @Test
    void decide_oneByteOverInMemoryThreshold_isStreamed() {
        Route route = policy.decide(length(10 * MIB + 1), ROOMY, PLENTY_OF_DISK);
        assertEquals(Kind.STREAMED, route.kind());
        assertEquals("STREAMED: 10.0 MiB > inMemoryThreshold 10 MiB", route.toString());
        assertEquals(0, route.memoryAllowance());
        assertNull(route.reservation());
        assertNothingReserved();
    }

    @Test
    void decide_emptyBody_isBufferedUnderAnEmptyReservation() {
        Route route = policy.decide(length(0), ROOMY, PLENTY_OF_DISK);
        assertEquals(Kind.BUFFERED, route.kind());
        assertEquals(0, route.memoryAllowance());
    }

    @Test
    void decide_inMemoryThresholdZero_streamsEveryNonEmptyUpload() {
        RoutingPolicy streamAll = new RoutingPolicy(CONFIG.toBuilder().inMemoryThreshold(0).build(), budget);
        assertEquals("STREAMED: 1 B > inMemoryThreshold 0 B", streamAll.decide(length(1), ROOMY, PLENTY_OF_DISK).toString());
    }

    // the seed rule

    private RoutingPolicy withHighThreshold() {
        return new RoutingPolicy(CONFIG.toBuilder().inMemoryThreshold(4 * GIB).build(), budget);
    }

    @Test
    void decide_largerThanTheFractionOfAvailableMemory_isStreamedWithTheReasonInWords() {
        Route route = withHighThreshold().decide(length(3 * GIB), ROOMY, PLENTY_OF_DISK);
        assertEquals(Kind.STREAMED, route.kind());
        assertEquals("STREAMED: 3.0 GiB > 50% of 812 MiB available (heap headroom)", route.toString());
        assertNothingReserved();
    }

    @Test
    void decide_exactlyTheFractionOfAvailableMemory_isBuffered() {
        Route route = withHighThreshold().decide(length(406 * MIB), ROOMY, PLENTY_OF_DISK);
        assertEquals(Kind.BUFFERED, route.kind());
        assertEquals("BUFFERED: 406 MiB reserved, 406 MiB of 406 MiB budget in use", route.toString());
    }

    @Test
    void decide_oneByteOverTheFractionOfAvailableMemory_isStreamed() {
        Route route = withHighThreshold().decide(length(406 * MIB + 1), ROOMY, PLENTY_OF_DISK);
        assertEquals("STREAMED: 406 MiB > 50% of 812 MiB available (heap headroom)", route.toString());
    }

    @Test
    void decide_physicalMemoryTheSmallest_namesIt() {
        MemorySnapshot lowPhysical = snapshot().heap(0, 4 * GIB).physical(300 * MIB, 16 * GIB).build();
        Route route = withHighThreshold().decide(length(200 * MIB), lowPhysical, PLENTY_OF_DISK);
        assertEquals("STREAMED: 200 MiB > 50% of 300 MiB available (physical memory)", route.toString());
    }

    @Test
    void decide_containerLimitTheSmallest_namesIt() {
        MemorySnapshot tightContainer = snapshot().heap(0, 4 * GIB).container(512 * MIB, 412 * MIB).build();
        Route route = withHighThreshold().decide(length(60 * MIB), tightContainer, PLENTY_OF_DISK);
        assertEquals("STREAMED: 60 MiB > 50% of 100 MiB available (container limit)", route.toString());
        Route small = policy.decide(length(6 * MIB), tightContainer, PLENTY_OF_DISK);
        assertEquals("BUFFERED: 6.0 MiB reserved, 6.0 MiB of 50 MiB budget in use", small.toString());
    }

    @Test
    void decide_anotherMemoryFraction_isShownAsAPercentage() {
        RoutingPolicy quarter = new RoutingPolicy(CONFIG.toBuilder().inMemoryThreshold(4 * GIB).memoryFraction(0.25).build(),
                budget);
        assertEquals("STREAMED: 300 MiB > 25% of 812 MiB available (heap headroom)",
                quarter.decide(length(300 * MIB), ROOMY, PLENTY_OF_DISK).toString());
    }

    @Test
    void decide_noMemoryAvailable_streamsEvenOneByte() {
        MemorySnapshot noPhysical = snapshot().heap(0, GIB).physical(0, 16 * GIB).build();
        assertEquals("STREAMED: 1 B > 50% of 0 B available (physical memory)",
                policy.decide(length(1), noPhysical, PLENTY_OF_DISK).toString());
    }

    // the budget

    @Test
    void decide_budgetExhausted_streamsTheSameSmallUpload() {
        List<Route> held = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Route route = policy.decide(length(10 * MIB), ROOMY, PLENTY_OF_DISK);
            assertEquals(Kind.BUFFERED, route.kind(), "upload " + i);
            held.add(route);
        }
        assertEquals(400 * MIB, budget.reserved());

        Route overflow = policy.decide(length(10 * MIB), ROOMY, PLENTY_OF_DISK);
        assertEquals(Kind.STREAMED, overflow.kind());
        assertEquals("STREAMED: memory budget exhausted: 10 MiB requested, 400 MiB of 406 MiB reserved", overflow.toString());
        assertEquals(400 * MIB, budget.reserved());

        held.get(0).release();
        assertEquals(Kind.BUFFERED, policy.decide(length(10 * MIB), ROOMY, PLENTY_OF_DISK).kind());
    }

    @Test
    void decide_budgetNearlyFull_stillBuffersWhatFits() {
        RoutingPolicy wide = withHighThreshold();
        wide.decide(length(400 * MIB), ROOMY, PLENTY_OF_DISK);
        assertEquals(Kind.BUFFERED, wide.decide(length(6 * MIB), ROOMY, PLENTY_OF_DISK).kind());
        assertEquals(Kind.STREAMED, wide.decide(length(1), ROOMY, PLENTY_OF_DISK).kind());
    }

    @Test
    void decide_bufferedRoute_releasesItsReservationOnce() {
        Route first = policy.decide(length(10 * MIB), ROOMY, PLENTY_OF_DISK);
        Route second = policy.decide(length(5 * MIB), ROOMY, PLENTY_OF_DISK);
        first.release();
        first.release();
        assertEquals(5 * MIB, budget.reserved());
        assertTrue(first.reservation().isReleased());
        second.release();
        assertNothingReserved();
    }

    // critical heap

    @Test
    void decide_heapAboveCriticalRatio_streamsEvenASmallUpload() {
        Route route = policy.decide(length(KIB), CRITICAL, PLENTY_OF_DISK);
        assertEquals(Kind.STREAMED, route.kind());
        assertEquals("STREAMED: heap at 95% > criticalHeapRatio 90%, nothing is buffered", route.toString());
        assertNothingReserved();
    }

    @Test
    void decide_heapAboveCriticalRatio_streamsUnknownLengthToo() {
        Route route = policy.decide(UploadFacts.unknownLength(), CRITICAL, PLENTY_OF_DISK);
        assertEquals("STREAMED: heap at 95% > criticalHeapRatio 90%, nothing is buffered", route.toString());
        assertNothingReserved();
    }

    @Test
    void decide_heapExactlyAtCriticalRatio_stillBuffers() {
        MemorySnapshot atRatio = snapshot().heap(900 * MIB, 1000 * MIB).build();
        assertEquals(0.9, atRatio.heapRatio());
        assertEquals(Kind.BUFFERED, policy.decide(length(KIB), atRatio, PLENTY_OF_DISK).kind());
    }

    @Test
    void decide_heapOneByteAboveCriticalRatio_streams() {
        MemorySnapshot overRatio = snapshot().heap(900 * MIB + 1, 1000 * MIB).build();
        assertEquals(Kind.STREAMED, policy.decide(length(KIB), overRatio, PLENTY_OF_DISK).kind());
    }

    // unknown length

    @Test
    void decide_unknownLength_isBufferedUnderTheUnknownLengthAllowance() {
        Route route = policy.decide(UploadFacts.unknownLength(), ROOMY, PLENTY_OF_DISK);
        assertEquals(Kind.BUFFERED, route.kind());
        assertEquals("BUFFERED: unknown length, buffered up to 1.0 MiB, then spilled to disk", route.toString());
        assertEquals(MIB, route.memoryAllowance());
        assertEquals(MIB, budget.reserved());
    }

    @Test
    void decide_unknownLength_allowanceNeverExceedsInMemoryThreshold() {
        RoutingPolicy small = new RoutingPolicy(CONFIG.toBuilder().inMemoryThreshold(256 * KIB).build(), budget);
        Route route = small.decide(UploadFacts.unknownLength(), ROOMY, PLENTY_OF_DISK);
        assertEquals("BUFFERED: unknown length, buffered up to 256 KiB, then spilled to disk", route.toString());
        assertEquals(256 * KIB, route.memoryAllowance());
    }

    @Test
    void decide_unknownLengthWithAZeroThreshold_streamsWithoutReserving() {
        RoutingPolicy none = new RoutingPolicy(CONFIG.toBuilder().inMemoryThreshold(0).build(), budget);
        Route route = none.decide(UploadFacts.unknownLength(), ROOMY, PLENTY_OF_DISK);
        assertEquals("STREAMED: unknown length and no memory allowance (inMemoryThreshold or unknownLengthBuffer is 0)",
                route.toString());
        assertEquals(0, budget.holders());
    }

    @Test
    void decide_unknownLengthWhenBudgetExhausted_streams() {
        withHighThreshold().decide(length(406 * MIB), ROOMY, PLENTY_OF_DISK);
        Route route = policy.decide(UploadFacts.unknownLength(), ROOMY, PLENTY_OF_DISK);
        assertEquals("STREAMED: unknown length and the memory budget is exhausted (406 MiB of 406 MiB reserved)",
                route.toString());
        assertEquals(406 * MIB, budget.reserved());
    }

    @Test
    void decide_unknownLengthWithoutDisk_rejects507AndReleasesTheAllowance() {
        Route route = policy.decide(UploadFacts.unknownLength(), ROOMY, 512 * MIB);
        assertEquals(Kind.REJECTED, route.kind());
        assertEquals(507, route.status());
        assertEquals("not enough disk space: 1 B needed, 0 B free above diskReserve 512 MiB", route.reason());
        assertNothingReserved();
    }

    @Test
    void decide_unknownLengthWithOneByteOfDisk_isBuffered() {
        assertEquals(Kind.BUFFERED, policy.decide(UploadFacts.unknownLength(), ROOMY, 512 * MIB + 1).kind());
    }

    // disk

    @Test
    void decide_streamedUploadLargerThanFreeDisk_rejects507() {
        Route route = policy.decide(length(3 * GIB), ROOMY, 2 * GIB);
        assertEquals("REJECTED: not enough disk space: 3.0 GiB needed, 1.5 GiB free above diskReserve 512 MiB",
                route.toString());
        assertRejectedReservingNothing(route, 507, 0);
    }

    @Test
    void decide_streamedUploadThatExactlyFitsAboveTheReserve_isStreamed() {
        assertEquals(Kind.STREAMED, policy.decide(length(3 * GIB), ROOMY, 3 * GIB + 512 * MIB).kind());
    }

    @Test
    void decide_streamedUploadOneByteShortOfDisk_rejects507() {
        assertEquals(507, policy.decide(length(3 * GIB), ROOMY, 3 * GIB + 512 * MIB - 1).status());
    }

    @Test
    void decide_freeDiskBelowTheReserve_showsZeroFree() {
        Route route = policy.decide(length(20 * MIB), ROOMY, 100 * MIB);
        assertEquals("not enough disk space: 20 MiB needed, 0 B free above diskReserve 512 MiB", route.reason());
    }

    @Test
    void decide_bufferedKnownLength_needsNoDisk() {
        Route route = policy.decide(length(5 * MIB), ROOMY, 0);
        assertEquals(Kind.BUFFERED, route.kind());
        assertEquals(5 * MIB, budget.reserved());
    }

    @Test
    void decide_criticalMemoryAndNoDisk_rejects503WithRetryAfter() {
        Route route = policy.decide(length(KIB), CRITICAL, 0);
        assertEquals("REJECTED: memory is critical (heap at 95%) and not enough disk space: 1.0 KiB needed, "
                + "0 B free above diskReserve 512 MiB", route.toString());
        assertRejectedReservingNothing(route, 503, 5);
    }

    @Test
    void decide_criticalMemoryAndNoDiskWithRetryAfterZero_stillSaysRetryInOneSecond() {
        RoutingPolicy noWait = new RoutingPolicy(CONFIG.toBuilder().retryAfter(Duration.ZERO).build(), budget);
        assertEquals(1, noWait.decide(length(KIB), CRITICAL, 0).retryAfterSeconds());
    }

    @Test
    void decide_criticalMemoryAndNoDisk_usesTheConfiguredRetryAfter() {
        RoutingPolicy slow = new RoutingPolicy(CONFIG.toBuilder().retryAfter(Duration.ofSeconds(90)).build(), budget);
        assertEquals(90, slow.decide(length(KIB), CRITICAL, 0).retryAfterSeconds());
    }

    @Test
    void decide_criticalMemoryWithDisk_streams() {
        assertEquals(Kind.STREAMED, policy.decide(length(3 * GIB), CRITICAL, PLENTY_OF_DISK).kind());
    }

    @Test
    void decide_manyRejections_leaveTheBudgetUntouched() {
        for (int i = 0; i < 100; i++) {
            policy.decide(UploadFacts.unknownLength(), ROOMY, 0);
            policy.decide(length(5 * GIB), ROOMY, PLENTY_OF_DISK);
            policy.decide(length(KIB), CRITICAL, 0);
        }
        assertNothingReserved();
    }
}
