package io.spillway.core.routing;

import io.spillway.core.memory.MemoryBudget.Reservation;
import java.util.Objects;

/**
 * A routing decision, as a value: where an upload's bytes go and why, in words.
 *
 * <ul>
 *   <li>{@link Kind#BUFFERED}: held in memory under a reservation of the global budget. When the
 *       length was unknown, the reservation is a small allowance and the upload spills to disk
 *       once it outgrows it.</li>
 *   <li>{@link Kind#STREAMED}: parts go straight to files through a bounded buffer.</li>
 *   <li>{@link Kind#REJECTED}: refused with a status and a reason a person can read.</li>
 * </ul>
 */
public final class Route {

    /** The three ways an upload can go. */
    public enum Kind { BUFFERED, STREAMED, REJECTED }

    private final Kind kind;
    private final Reservation reservation;
    private final int status;
    private final long retryAfterSeconds;
    private final String reason;

    private Route(Kind kind, Reservation reservation, int status, long retryAfterSeconds, String reason) {
        this.kind = kind;
        this.reservation = reservation;
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public static Route buffered(Reservation reservation, String reason) {
        return new Route(Kind.BUFFERED, Objects.requireNonNull(reservation, "reservation"), 0, 0, reason);
    }

    public static Route streamed(String reason) {
        return new Route(Kind.STREAMED, null, 0, 0, reason);
    }

    public static Route rejected(int status, String reason) {
        return new Route(Kind.REJECTED, null, status, 0, reason);
    }

    public static Route rejectedRetryLater(int status, long retryAfterSeconds, String reason) {
        return new Route(Kind.REJECTED, null, status, retryAfterSeconds, reason);
    }

    public Kind kind() {
        return kind;
    }

    /** Bytes the upload may hold in memory: the reservation for BUFFERED, else 0. */
    public long memoryAllowance() {
        return reservation == null ? 0 : reservation.bytes();
    }

    /** The reservation of a BUFFERED route, or null. */
    public Reservation reservation() {
        return reservation;
    }

    /** The HTTP status of a REJECTED route, else 0. */
    public int status() {
        return status;
    }

    /** Seconds for {@code Retry-After}, or 0 when retrying would not help. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Why, in words: {@code STREAMED: 3.0 GiB > 50% of 812 MiB available (heap headroom)}. */
    public String reason() {
        return reason;
    }

    /** Releases the reservation, if any; safe to call more than once. */
    public void release() {
        if (reservation != null) {
            reservation.close();
        }
    }

    @Override
    public String toString() {
        return kind + ": " + reason;
    }
}
