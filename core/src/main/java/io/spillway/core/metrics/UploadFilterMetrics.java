package io.spillway.core.metrics;

import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.memory.MemorySnapshot;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** The {@link UploadFilterMXBean} of one filter, reading its {@link UploadMonitor}. */
public final class UploadFilterMetrics implements UploadFilterMXBean {

    private final UploadMonitor monitor;
    private final Consumer<SpillwayConfig> reconfigure;

    /**
     * @param reconfigure installs a changed configuration as one atomic swap (the filter's routing
     *                    policy and configuration)
     */
    public UploadFilterMetrics(UploadMonitor monitor, Consumer<SpillwayConfig> reconfigure) {
        this.monitor = monitor;
        this.reconfigure = reconfigure;
    }

    private MemorySnapshot memory() {
        return monitor.memory();
    }

    @Override
    public long getHeapUsed() {
        return memory().heapUsed();
    }

    @Override
    public long getHeapMax() {
        return memory().heapMax();
    }

    @Override
    public double getHeapRatio() {
        return memory().heapRatio();
    }

    @Override
    public long getPhysicalTotal() {
        return memory().physicalTotal();
    }

    @Override
    public long getPhysicalAvailable() {
        return memory().physicalAvailable();
    }

    @Override
    public long getContainerLimit() {
        return memory().containerLimit();
    }

    @Override
    public long getAvailableMemory() {
        return memory().available();
    }

    @Override
    public long getBudgetReserved() {
        return monitor.budget().reserved();
    }

    @Override
    public long getBudgetCapacity() {
        return monitor.budgetCapacity(memory());
    }

    @Override
    public int getBudgetHolders() {
        return monitor.budget().holders();
    }

    @Override
    public Map<String, Integer> getUploadsInFlight() {
        return monitor.active().countByRoute();
    }

    @Override
    public int getUploadsInFlightTotal() {
        return monitor.active().count();
    }

    @Override
    public Map<String, Long> getRoutedUploads() {
        return monitor.counters().routedByRoute();
    }

    @Override
    public Map<String, Long> getRejectedUploads() {
        return monitor.counters().rejectedByStatus();
    }

    @Override
    public long getCompletedUploads() {
        return monitor.counters().completed();
    }

    @Override
    public long getBytesReceived() {
        return monitor.counters().bytesReceived();
    }

    @Override
    public long getTempDirectoryFiles() {
        return TempDirectoryUsage.of(monitor.storage().root()).files();
    }

    @Override
    public long getTempDirectoryBytes() {
        return TempDirectoryUsage.of(monitor.storage().root()).bytes();
    }

    @Override
    public long getFreeDiskSpace() {
        return monitor.storage().usableSpace();
    }

    @Override
    public boolean isHealthy() {
        return monitor.healthy(memory());
    }

    @Override
    public String getConfiguration() {
        return monitor.config().describe();
    }

    @Override
    public double getMemoryFraction() {
        return monitor.config().memoryFraction();
    }

    @Override
    public void setMemoryFraction(double fraction) {
        change(c -> c.toBuilder().memoryFraction(fraction).build());
    }

    @Override
    public long getInMemoryThreshold() {
        return monitor.config().inMemoryThreshold();
    }

    @Override
    public void setInMemoryThreshold(long bytes) {
        change(c -> c.toBuilder().inMemoryThreshold(bytes).build());
    }

    @Override
    public double getCriticalHeapRatio() {
        return monitor.config().criticalHeapRatio();
    }

    @Override
    public void setCriticalHeapRatio(double ratio) {
        change(c -> c.toBuilder().criticalHeapRatio(ratio).build());
    }

    /**
     * Builds the changed configuration, which checks the new value with the rule of its
     * {@link io.spillway.core.config.Param} (an {@link IllegalArgumentException} naming it), then installs it.
     */
    private synchronized void change(UnaryOperator<SpillwayConfig> change) {
        reconfigure.accept(change.apply(monitor.config()));
    }
}
