package io.spillway.core.metrics;

import io.spillway.core.activity.ActiveUploads;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.memory.MemoryBudget;
import io.spillway.core.memory.MemorySnapshot;
import io.spillway.core.memory.SampledMemoryProbe;
import io.spillway.core.storage.TempStorage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Everything an operator can read about one filter, from its live parts: memory (the latest
 * sample, never a blocking probe), the budget, uploads in flight, counters and the temp directory.
 * The health servlet and the MXBean both read it, so they always show the same figures.
 */
public final class UploadMonitor {

    private final SampledMemoryProbe probe;
    private final MemoryBudget budget;
    private final Supplier<SpillwayConfig> config;
    private final UploadCounters counters;
    private final ActiveUploads active;
    private final TempStorage storage;

    public UploadMonitor(SampledMemoryProbe probe, MemoryBudget budget, Supplier<SpillwayConfig> config,
                         UploadCounters counters, ActiveUploads active, TempStorage storage) {
        this.probe = probe;
        this.budget = budget;
        this.config = config;
        this.counters = counters;
        this.active = active;
        this.storage = storage;
    }

    /** The latest memory sample. */
    public MemorySnapshot memory() {
        return probe.current();
    }

    /** The configuration in force now (tunable knobs included). */
    public SpillwayConfig config() {
        return config.get();
    }

    public MemoryBudget budget() {
        return budget;
    }

    public UploadCounters counters() {
        return counters;
    }

    public ActiveUploads active() {
        return active;
    }

    public TempStorage storage() {
        return storage;
    }

    /** Whether heap usage is at or below {@code criticalHeapRatio} in this sample. */
    public boolean healthy(MemorySnapshot memory) {
        return memory.heapRatio() <= config.get().criticalHeapRatio();
    }

    /** What buffered uploads may hold together now: {@code memoryFraction} of available memory. */
    public long budgetCapacity(MemorySnapshot memory) {
        return (long) (config.get().memoryFraction() * memory.available());
    }

    /** The health document: every figure from one memory sample and one configuration. */
    public Map<String, Object> healthReport() {
        MemorySnapshot memory = memory();
        SpillwayConfig settings = config.get();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", memory.heapRatio() <= settings.criticalHeapRatio() ? "ok" : "critical");
        report.put("heap", map("used", memory.heapUsed(), "max", memory.heapMax(),
                "ratio", round(memory.heapRatio()), "criticalRatio", settings.criticalHeapRatio()));
        report.put("physical", map("total", memory.physicalTotal(), "available", memory.physicalAvailable()));
        report.put("container", memory.hasContainerLimit()
                ? map("limit", memory.containerLimit(), "usage", memory.containerUsage()) : null);
        report.put("available", map("bytes", memory.available(), "limitedBy", memory.limitingFactor()));
        report.put("fileDescriptors", memory.hasDescriptorLimit()
                ? map("open", memory.openDescriptors(), "max", memory.maxDescriptors()) : null);
        report.put("budget", map("reserved", budget.reserved(),
                "capacity", (long) (settings.memoryFraction() * memory.available()), "holders", (long) budget.holders()));
        Map<String, Object> inFlight = new LinkedHashMap<>(active.countByRoute());
        inFlight.put("total", active.count());
        report.put("uploadsInFlight", inFlight);
        report.put("routed", counters.routedByRoute());
        report.put("rejected", counters.rejectedByStatus());
        report.put("completed", counters.completed());
        report.put("bytesReceived", counters.bytesReceived());
        TempDirectoryUsage usage = TempDirectoryUsage.of(storage.root());
        report.put("tempDirectory", map("files", usage.files(), "bytes", usage.bytes(),
                "freeDisk", storage.usableSpace(), "diskReserve", settings.diskReserve()));
        report.put("memorySampledAt", memory.takenAt().toString());
        return report;
    }

    private static double round(double ratio) {
        return Math.round(ratio * 10_000) / 10_000.0;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
