package io.spillway.core.metrics;

import io.spillway.core.routing.Route;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of one filter since it started: uploads routed by route, uploads rejected by
 * HTTP status, uploads completed, body bytes received. Cheap to bump from request threads.
 */
public final class UploadCounters {

    private final Map<Route.Kind, LongAdder> routed = new EnumMap<>(Route.Kind.class);
    private final ConcurrentHashMap<Integer, LongAdder> rejected = new ConcurrentHashMap<>();
    private final LongAdder completed = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();

    public UploadCounters() {
        routed.put(Route.Kind.BUFFERED, new LongAdder());
        routed.put(Route.Kind.STREAMED, new LongAdder());
    }

    /** An upload was routed to memory or disk (rejections are counted by {@link #rejected}). */
    public void routed(Route.Kind kind) {
        LongAdder counter = routed.get(kind);
        if (counter != null) {
            counter.increment();
        }
    }

    /** An upload (or a resumable chunk) was refused with this status. */
    public void rejected(int status) {
        rejected.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    /** An upload was received completely and handed to the application. */
    public void complete() {
        completed.increment();
    }

    /** Body bytes that arrived. */
    public void received(long bytes) {
        bytesReceived.add(bytes);
    }

    /** Routed uploads by route name: {@code BUFFERED}, {@code STREAMED}. */
    public Map<String, Long> routedByRoute() {
        Map<String, Long> counts = new TreeMap<>();
        routed.forEach((kind, counter) -> counts.put(kind.name(), counter.sum()));
        return counts;
    }

    /** Rejected uploads by status, as text keys sorted by status ({@code "408"}, {@code "413"}). */
    public Map<String, Long> rejectedByStatus() {
        Map<String, Long> counts = new TreeMap<>();
        rejected.forEach((status, counter) -> counts.put(Integer.toString(status), counter.sum()));
        return counts;
    }

    /** Uploads received completely since start. */
    public long completed() {
        return completed.sum();
    }

    /** Body bytes received since start. */
    public long bytesReceived() {
        return bytesReceived.sum();
    }
}
