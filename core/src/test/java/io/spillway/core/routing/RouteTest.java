package io.spillway.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.memory.MemoryBudget;
import io.spillway.core.memory.MemoryBudget.Reservation;
import org.junit.jupiter.api.Test;

class RouteTest {

    private final MemoryBudget budget = new MemoryBudget();

    @Test
    void buffered_holdsItsReservation() {
        Reservation reservation = budget.tryReserve(100, 1000).orElseThrow();
        Route route = Route.buffered(reservation, "100 B reserved");
        assertEquals(Route.Kind.BUFFERED, route.kind());
        assertSame(reservation, route.reservation());
        assertEquals(100, route.memoryAllowance());
        assertEquals(0, route.status());
        assertEquals(0, route.retryAfterSeconds());
        assertEquals("100 B reserved", route.reason());
        assertEquals("BUFFERED: 100 B reserved", route.toString());
    }

    @Test
    void release_returnsTheReservationAndIsIdempotent() {
        Route route = Route.buffered(budget.tryReserve(100, 1000).orElseThrow(), "x");
        route.release();
        route.release();
        assertTrue(route.reservation().isReleased());
        assertEquals(0, budget.reserved());
        assertEquals(0, budget.holders());
    }

    @Test
    void buffered_withoutReservation_throws() {
        assertEquals("reservation", assertThrows(NullPointerException.class, () -> Route.buffered(null, "x")).getMessage());
    }

    @Test
    void anyRoute_withoutReason_throws() {
        assertEquals("reason", assertThrows(NullPointerException.class, () -> Route.streamed(null)).getMessage());
        assertEquals("reason", assertThrows(NullPointerException.class, () -> Route.rejected(413, null)).getMessage());
    }

    @Test
    void streamed_holdsNoMemory() {
        Route route = Route.streamed("3.0 GiB > inMemoryThreshold 10 MiB");
        assertEquals(Route.Kind.STREAMED, route.kind());
        assertNull(route.reservation());
        assertEquals(0, route.memoryAllowance());
        assertEquals(0, route.status());
        route.release();
        assertEquals("STREAMED: 3.0 GiB > inMemoryThreshold 10 MiB", route.toString());
    }

    @Test
    void rejected_carriesStatusWithoutRetry() {
        Route route = Route.rejected(507, "disk full");
        assertEquals(Route.Kind.REJECTED, route.kind());
        assertEquals(507, route.status());
        assertEquals(0, route.retryAfterSeconds());
        assertEquals(0, route.memoryAllowance());
        assertEquals("REJECTED: disk full", route.toString());
    }

    @Test
    void rejectedRetryLater_carriesRetryAfter() {
        Route route = Route.rejectedRetryLater(503, 7, "busy");
        assertEquals(503, route.status());
        assertEquals(7, route.retryAfterSeconds());
        assertEquals("busy", route.reason());
    }
}
