package io.spillway.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.spillway.core.metrics.TempDirectoryUsage;
import io.spillway.core.metrics.UploadMonitor;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Binds the filter's figures to a Micrometer {@link MeterRegistry}, read live from its
 * {@link UploadMonitor} (the same figures as the health servlet and the MBean):
 *
 * <ul>
 *   <li>{@code spillway.uploads} (counter, tag {@code route}: {@code buffered}, {@code streamed}):
 *       multipart uploads routed;</li>
 *   <li>{@code spillway.uploads.rejected} (counter, tag {@code status}): uploads refused, one
 *       series per status Spillway answers;</li>
 *   <li>{@code spillway.uploads.completed} (counter);</li>
 *   <li>{@code spillway.received} (counter, bytes): body bytes received;</li>
 *   <li>{@code spillway.uploads.active} (gauge, tag {@code route}: also {@code resumable}):
 *       uploads in flight;</li>
 *   <li>{@code spillway.budget.reserved} and {@code spillway.budget.capacity} (gauges, bytes):
 *       memory held by buffered uploads, and what they may hold together now;</li>
 *   <li>{@code spillway.temp.directory} (gauge, bytes): Spillway's files in the temp directory.</li>
 * </ul>
 *
 * <p>The monitor is looked up at every reading, so the binder can be bound before the filter is
 * initialised (Spring Boot binds meters before the web server starts); until then, and after the
 * filter is destroyed, every meter reads 0. The registry's gauges hold the binder strongly, so
 * its counters (which Micrometer holds weakly) keep reading for as long as the registry lives,
 * whether or not the caller keeps the binder.
 *
 * <pre>{@code
 * new SpillwayMetrics(() -> filter.isRunning() ? filter.monitor() : null).bindTo(registry);
 * }</pre>
 */
public final class SpillwayMetrics implements MeterBinder {

    /** The statuses Spillway refuses uploads with, each a series of {@code spillway.uploads.rejected}. */
    static final List<Integer> STATUSES = List.of(400, 404, 408, 409, 410, 413, 415, 416, 460, 503, 507);
    private static final List<String> ROUTES = List.of("BUFFERED", "STREAMED");
    private static final List<String> ACTIVE_ROUTES = List.of("BUFFERED", "STREAMED", "RESUMABLE");

    private final Supplier<UploadMonitor> monitor;
    private final Tags tags;

    /** @param monitor the filter's monitor, or null while it is not running */
    public SpillwayMetrics(Supplier<UploadMonitor> monitor) {
        this(monitor, Tags.empty());
    }

    /** @param tags added to every meter (for example the filter name when there are several) */
    public SpillwayMetrics(Supplier<UploadMonitor> monitor, Iterable<io.micrometer.core.instrument.Tag> tags) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.tags = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String route : ROUTES) {
            counter(registry, "spillway.uploads", "multipart uploads routed", Tags.of("route", label(route)), null,
                    m -> m.counters().routedByRoute().getOrDefault(route, 0L));
        }
        for (int status : STATUSES) {
            String key = Integer.toString(status);
            counter(registry, "spillway.uploads.rejected", "uploads refused", Tags.of("status", key), null,
                    m -> m.counters().rejectedByStatus().getOrDefault(key, 0L));
        }
        counter(registry, "spillway.uploads.completed", "uploads handed to the application", Tags.empty(), null,
                m -> m.counters().completed());
        counter(registry, "spillway.received", "upload body bytes received", Tags.empty(), BaseUnits.BYTES,
                m -> m.counters().bytesReceived());
        for (String route : ACTIVE_ROUTES) {
            gauge(registry, "spillway.uploads.active", "uploads in flight", Tags.of("route", label(route)), null,
                    m -> m.active().countOnRoute(route));
        }
        gauge(registry, "spillway.budget.reserved", "memory reserved by buffered uploads", Tags.empty(),
                BaseUnits.BYTES, m -> m.budget().reserved());
        gauge(registry, "spillway.budget.capacity", "memory buffered uploads may hold together now", Tags.empty(),
                BaseUnits.BYTES, m -> m.budgetCapacity(m.memory()));
        gauge(registry, "spillway.temp.directory", "bytes of Spillway's files in the temp directory", Tags.empty(),
                BaseUnits.BYTES, m -> TempDirectoryUsage.of(m.storage().root()).bytes());
    }

    private void counter(MeterRegistry registry, String name, String description, Tags extra, String unit,
                         ToDoubleFunction<UploadMonitor> reading) {
        FunctionCounter.builder(name, this, binder -> binder.read(reading)).description(description)
                .tags(tags.and(extra)).baseUnit(unit).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, Tags extra, String unit,
                       ToDoubleFunction<UploadMonitor> reading) {
        Gauge.builder(name, this, binder -> binder.read(reading)).description(description)
                .tags(tags.and(extra)).baseUnit(unit).strongReference(true).register(registry);
    }

    private double read(ToDoubleFunction<UploadMonitor> reading) {
        UploadMonitor current = monitor.get();
        return current == null ? 0 : reading.applyAsDouble(current);
    }

    private static String label(String route) {
        return route.toLowerCase(Locale.ROOT);
    }
}
