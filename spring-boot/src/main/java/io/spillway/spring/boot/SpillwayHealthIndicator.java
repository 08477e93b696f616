package io.spillway.spring.boot;

import io.spillway.servlet.MemoryAwareUploadFilter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Actuator's view of the filter: UP while heap usage is at or below {@code criticalHeapRatio},
 * DOWN above it (where Spillway refuses buffered uploads), with the health servlet's figures
 * (heap, physical memory, container limit, budget, uploads in flight, temp directory) as details.
 * UNKNOWN before the filter has started and after it stopped.
 */
public final class SpillwayHealthIndicator implements HealthIndicator {

    private final MemoryAwareUploadFilter filter;

    public SpillwayHealthIndicator(MemoryAwareUploadFilter filter) {
        this.filter = filter;
    }

    @Override
    public Health health() {
        if (!filter.isRunning()) {
            return Health.unknown().withDetail("reason", "the upload filter is not running").build();
        }
        Map<String, Object> report = new LinkedHashMap<>(filter.monitor().healthReport());
        boolean ok = "ok".equals(report.remove("status"));
        report.values().removeIf(java.util.Objects::isNull);
        return (ok ? Health.up() : Health.down()).withDetails(report).build();
    }
}
