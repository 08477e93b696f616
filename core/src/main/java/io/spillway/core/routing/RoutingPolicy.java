package io.spillway.core.routing;

import static io.spillway.core.config.Sizes.format;

import io.spillway.core.config.Sizes;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.memory.MemoryBudget;
import io.spillway.core.memory.MemoryBudget.Reservation;
import io.spillway.core.memory.MemorySnapshot;
import java.util.Optional;

/**
 * Decides, from plain numbers, where an upload goes. Pure Java: no servlet types, no clock, no
 * I/O; the filter passes a memory snapshot and the free disk space it measured.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>declared length over {@code maxRequestSize}: REJECTED 413, before a byte is read;</li>
 *   <li>admission by count: the uploads in flight times {@code memoryPerUpload} over
 *       {@code memoryFraction} of available memory: REJECTED 503 with {@code Retry-After} (each
 *       upload in flight costs buffers and a connection, however small its body: a thousand slow
 *       clients exhaust memory that no single upload would). The budget for buffered bytes is
 *       separate: when it is full, uploads stream instead of being refused. Likewise when the
 *       process's free file descriptors fall to {@link #DESCRIPTOR_RESERVE_FRACTION} of its limit
 *       (each upload in flight holds its connection and a file): REJECTED 503, so that the server
 *       refuses an upload rather than failing to accept a connection or open a file;</li>
 *   <li>heap above {@code criticalHeapRatio}: nothing is buffered;</li>
 *   <li>declared length over {@code inMemoryThreshold}: STREAMED;</li>
 *   <li>the seed rule: declared length over {@code memoryFraction} of available memory: STREAMED;</li>
 *   <li>the budget: BUFFERED only if the sum of all reservations stays within
 *       {@code memoryFraction} of available memory, else STREAMED;</li>
 *   <li>unknown length: BUFFERED under a small allowance ({@code unknownLengthBuffer}) that
 *       spills to disk once outgrown;</li>
 *   <li>a route that may touch the disk needs the declared length (or, unknown, one byte) to
 *       fit in free space minus {@code diskReserve}: else 507, or 503 with {@code Retry-After}
 *       when memory is critical too (waiting may help).</li>
 * </ol>
 */
public final class RoutingPolicy {

    /**
     * File descriptors kept free for everything but new uploads, as a share of the process's limit:
     * connections still to be accepted (a health check, the refusals themselves), the log, class
     * loading. At least {@link #MIN_DESCRIPTOR_RESERVE}.
     */
    public static final double DESCRIPTOR_RESERVE_FRACTION = 0.1;
    /** The fewest file descriptors kept free for everything but new uploads. */
    public static final long MIN_DESCRIPTOR_RESERVE = 64;

    private final SpillwayConfig config;
    private final MemoryBudget budget;

    public RoutingPolicy(SpillwayConfig config, MemoryBudget budget) {
        this.config = config;
        this.budget = budget;
    }

    /** The budget this policy reserves from. */
    public MemoryBudget budget() {
        return budget;
    }

    /**
     * Routes one upload.
     *
     * @param facts     what the request declares
     * @param memory    the latest memory reading
     * @param freeDisk  usable bytes on the temp directory's file store
     */
    public Route decide(UploadFacts facts, MemorySnapshot memory, long freeDisk) {
        return decide(facts, memory, freeDisk, 0);
    }

    /**
     * Routes one upload, counting the uploads in flight against memory.
     *
     * @param inFlight uploads in flight, this one included
     */
    public Route decide(UploadFacts facts, MemorySnapshot memory, long freeDisk, int inFlight) {
        long length = facts.declaredLength();
        if (facts.lengthKnown() && length > config.maxRequestSize()) {
            return Route.rejected(413, "request body of " + format(length) + " exceeds maxRequestSize "
                    + format(config.maxRequestSize()));
        }
        Optional<Route> full = refuseOverCount(memory, inFlight);
        if (full.isPresent()) {
            return full.get();
        }
        boolean critical = memory.heapRatio() > config.criticalHeapRatio();
        Route route = critical ? streamed("heap at " + percent(memory.heapRatio()) + " > criticalHeapRatio "
                + percent(config.criticalHeapRatio()) + ", nothing is buffered") : chooseMemoryOrDisk(facts, memory);
        if (route.kind() == Route.Kind.BUFFERED && facts.lengthKnown()) {
            return route;
        }
        long diskNeeded = facts.lengthKnown() ? length : 1;
        long diskAllowed = freeDisk - config.diskReserve();
        if (diskNeeded > diskAllowed) {
            route.release();
            String disk = "not enough disk space: " + format(diskNeeded) + " needed, "
                    + format(Math.max(0, diskAllowed)) + " free above diskReserve " + format(config.diskReserve());
            return critical
                    ? unavailable("memory is critical (heap at " + percent(memory.heapRatio()) + ") and " + disk)
                    : Route.rejected(507, disk);
        }
        return route;
    }

    /**
     * Admission by count alone, for a request that is not routed (a resumable chunk, whose body
     * always goes to disk): the refusal when the process's free file descriptors are down to the
     * reserve, or when the uploads in flight, this one included, times {@code memoryPerUpload}
     * exceed {@code memoryFraction} of the memory available.
     */
    public Optional<Route> refuseOverCount(MemorySnapshot memory, int inFlight) {
        Optional<Route> descriptors = refuseOverDescriptors(memory);
        if (descriptors.isPresent()) {
            return descriptors;
        }
        long cost = config.memoryPerUpload();
        if (cost == 0 || inFlight <= 1) {
            return Optional.empty();
        }
        long capacity = (long) (config.memoryFraction() * memory.available());
        if ((long) inFlight * cost <= capacity) {
            return Optional.empty();
        }
        return Optional.of(unavailable("too many uploads in flight: " + inFlight + " at memoryPerUpload " + format(cost) + " exceed "
                        + percent(config.memoryFraction()) + " of " + format(memory.available()) + " available ("
                        + memory.limitingFactor() + ")"));
    }

    /**
     * The refusal when the process's free file descriptors have fallen to the reserve
     * ({@link #DESCRIPTOR_RESERVE_FRACTION} of its limit, at least {@link #MIN_DESCRIPTOR_RESERVE});
     * none when the reading does not count them.
     */
    private Optional<Route> refuseOverDescriptors(MemorySnapshot memory) {
        if (!memory.hasDescriptorLimit()) {
            return Optional.empty();
        }
        long reserve = Math.max(MIN_DESCRIPTOR_RESERVE,
                (long) (DESCRIPTOR_RESERVE_FRACTION * memory.maxDescriptors()));
        if (memory.descriptorHeadroom() > reserve) {
            return Optional.empty();
        }
        return Optional.of(unavailable("too few file descriptors left: " + memory.openDescriptors() + " of " + memory.maxDescriptors()
                        + " open, " + reserve + " are kept for connections and files"));
    }

    /** REJECTED 503 with {@code Retry-After} from {@code retryAfter} (at least one second). */
    private Route unavailable(String reason) {
        return Route.rejectedRetryLater(503, Math.max(1, config.retryAfter().toSeconds()), reason);
    }

    private Route chooseMemoryOrDisk(UploadFacts facts, MemorySnapshot memory) {
        long available = memory.available();
        long capacity = (long) (config.memoryFraction() * available);
        String availableWords = percent(config.memoryFraction()) + " of " + format(available)
                + " available (" + memory.limitingFactor() + ")";
        if (!facts.lengthKnown()) {
            long allowance = Math.min(config.unknownLengthBuffer(), config.inMemoryThreshold());
            if (allowance == 0) {
                return streamed("unknown length and no memory allowance (inMemoryThreshold or unknownLengthBuffer is 0)");
            }
            return reserve(allowance, capacity)
                    .map(r -> Route.buffered(r, "unknown length, buffered up to " + format(allowance)
                            + ", then spilled to disk"))
                    .orElseGet(() -> streamed("unknown length and the memory budget is exhausted ("
                            + format(budget.reserved()) + " of " + format(capacity) + " reserved)"));
        }
        long length = facts.declaredLength();
        if (length > config.inMemoryThreshold()) {
            return streamed(format(length) + " > inMemoryThreshold " + format(config.inMemoryThreshold()));
        }
        if (length > capacity) {
            return streamed(format(length) + " > " + availableWords);
        }
        return reserve(length, capacity)
                .map(r -> Route.buffered(r, format(length) + " reserved, " + format(budget.reserved())
                        + " of " + format(capacity) + " budget in use"))
                .orElseGet(() -> streamed("memory budget exhausted: " + format(length) + " requested, "
                        + format(budget.reserved()) + " of " + format(capacity) + " reserved"));
    }

    private Optional<Reservation> reserve(long bytes, long capacity) {
        return budget.tryReserve(bytes, capacity);
    }

    private static Route streamed(String reason) {
        return Route.streamed(reason);
    }

    private static String percent(double ratio) {
        return Sizes.fixed(ratio * 100, 0) + "%";
    }
}
