package io.spillway.benchmarks.harness.server;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Tracks the heap of the server JVM between two {@link #reset()} calls, exactly and cheaply.
 *
 * <p>Heap use only grows between collections, so its peak is either the current use or the use
 * just before one of the collections; every collection reports that in its notification, together
 * with the use just after it (what the collection could not free). No polling thread is needed.
 */
final class HeapMonitor implements NotificationListener {

    private final List<MemoryPoolMXBean> heapPools;
    private final Set<String> heapPoolNames;
    private final List<String> collectorNames = new ArrayList<>();
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private volatile long resetUptime;
    private volatile long baseline;

    private HeapMonitor() {
        heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .collect(Collectors.toList());
        heapPoolNames = heapPools.stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    }

    /** Creates a monitor listening to every garbage collector of this JVM. */
    static HeapMonitor start() {
        HeapMonitor monitor = new HeapMonitor();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            monitor.collectorNames.add(collector.getName());
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(monitor, null, null);
            }
        }
        monitor.reset();
        return monitor;
    }

    /** Collects garbage and starts a new observation from the heap that is left: the baseline. */
    synchronized void reset() {
        System.gc();
        resetUptime = ManagementFactory.getRuntimeMXBean().getUptime();
        long used = heapUsed();
        baseline = used;
        peakUsed.set(used);
        peakAfterGc.set(used);
        collections.set(0);
    }

    /** The observation so far, as a JSON-ready map (bytes). */
    Map<String, Object> snapshot() {
        long used = heapUsed();
        peakUsed.accumulateAndGet(used, Math::max);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("heapUsed", used);
        stats.put("heapMax", Runtime.getRuntime().maxMemory());
        stats.put("baselineHeapUsed", baseline);
        stats.put("peakHeapUsed", peakUsed.get());
        stats.put("peakHeapAfterGc", peakAfterGc.get());
        stats.put("collections", collections.get());
        stats.put("collectors", String.join(", ", collectorNames));
        stats.put("pid", ProcessHandle.current().pid());
        return stats;
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GcInfo gc = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
        if (gc.getStartTime() <= resetUptime) {
            return;
        }
        peakUsed.accumulateAndGet(heapSum(gc.getMemoryUsageBeforeGc()), Math::max);
        peakAfterGc.accumulateAndGet(heapSum(gc.getMemoryUsageAfterGc()), Math::max);
        collections.incrementAndGet();
    }

    private long heapSum(Map<String, MemoryUsage> usageByPool) {
        long sum = 0;
        for (Map.Entry<String, MemoryUsage> pool : usageByPool.entrySet()) {
            if (heapPoolNames.contains(pool.getKey())) {
                sum += pool.getValue().getUsed();
            }
        }
        return sum;
    }

    private long heapUsed() {
        long sum = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            sum += pool.getUsage().getUsed();
        }
        return sum;
    }
}
