package io.spillway.core.metrics;

import java.util.Map;

/**
 * The JMX view of one Spillway filter, registered as
 * {@code io.spillway:type=UploadFilter,context=<context path>,name=<filter name>}: the figures of
 * the health endpoint, readable in jconsole or VisualVM, plus three knobs that may be turned
 * while the server runs.
 *
 * <p>The knobs ({@code MemoryFraction}, {@code InMemoryThreshold}, {@code CriticalHeapRatio}) are
 * safe to change live because they only steer routing decisions not yet made: each decision
 * reads one immutable configuration, replaced whole when a knob turns. Uploads already routed
 * keep their reservation and route. Limits, the temp directory and the rate guard are fixed at
 * start, since changing them under a request in flight would be surprising.
 */
public interface UploadFilterMXBean {

    long getHeapUsed();

    long getHeapMax();

    /** Heap used as a share of its maximum, 0 to 1. */
    double getHeapRatio();

    long getPhysicalTotal();

    long getPhysicalAvailable();

    /** The container (cgroup) memory limit, or -1 when there is none. */
    long getContainerLimit();

    /** The smallest of heap headroom, physical available and container headroom. */
    long getAvailableMemory();

    long getBudgetReserved();

    /** {@code memoryFraction} of available memory. */
    long getBudgetCapacity();

    int getBudgetHolders();

    /** Uploads in flight by route label. */
    Map<String, Integer> getUploadsInFlight();

    int getUploadsInFlightTotal();

    /** Uploads routed since start, by route. */
    Map<String, Long> getRoutedUploads();

    /** Uploads rejected since start, by HTTP status. */
    Map<String, Long> getRejectedUploads();

    long getCompletedUploads();

    long getBytesReceived();

    long getTempDirectoryFiles();

    long getTempDirectoryBytes();

    long getFreeDiskSpace();

    /** False while heap usage is above {@code criticalHeapRatio} (the health endpoint answers 503). */
    boolean isHealthy();

    /** Every effective setting, as logged at start-up. */
    String getConfiguration();

    double getMemoryFraction();

    /** @throws IllegalArgumentException unless greater than 0 and at most 1 */
    void setMemoryFraction(double fraction);

    long getInMemoryThreshold();

    /** @throws IllegalArgumentException when negative */
    void setInMemoryThreshold(long bytes);

    double getCriticalHeapRatio();

    /** @throws IllegalArgumentException unless greater than 0 and at most 1 */
    void setCriticalHeapRatio(double ratio);
}
