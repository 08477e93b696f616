package io.spillway.core.memory;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import oshi.SystemInfo;
import oshi.hardware.GlobalMemory;

/**
 * The live probe: heap from the {@link MemoryMXBean} and the heap's memory pools, physical memory
 * from OSHI's {@link GlobalMemory}, container limit from {@link CgroupMemory}.
 *
 * <p>Heap in use leaves out the young generation's eden space (see {@link #heapInUse}): eden is
 * where new objects are born and most of them die there, so counting it would let garbage that
 * the next minor collection frees decide the route, and would keep an idle server whose eden
 * happens to be full looking short of memory until something allocates again.
 *
 * <p>File descriptors (open and the process's limit) come from the JDK's
 * {@code UnixOperatingSystemMXBean}; on other systems they are unknown. Counting them lists
 * {@code /proc/self/fd}, which is why it happens here, in the sampled reading, and never per request.
 *
 * <p>When OSHI cannot load (no native access), physical memory falls back to the JDK's
 * container-aware {@code OperatingSystemMXBean}.
 */
public final class SystemMemoryProbe implements MemoryProbe {

    private final MemoryMXBean memoryBean = ManagementFactory.getMemoryMXBean();
    private final List<MemoryPoolMXBean> heapPools = heapPools(ManagementFactory.getMemoryPoolMXBeans());
    /** Counts the process's file descriptors; null where the JVM cannot (not Unix). */
    private final UnixOperatingSystemMXBean descriptors = ManagementFactory.getOperatingSystemMXBean()
            instanceof UnixOperatingSystemMXBean unix ? unix : null;
    private final GlobalMemory globalMemory;
    private final CgroupMemory cgroup;
    private final Clock clock;

    public SystemMemoryProbe(CgroupMemory cgroup, Clock clock) {
        this.cgroup = cgroup;
        this.clock = clock;
        this.globalMemory = loadOshi();
    }

    /** A probe of this machine and process. */
    public static SystemMemoryProbe create() {
        return new SystemMemoryProbe(CgroupMemory.ofSystem(), Clock.systemUTC());
    }

    @Override
    public MemorySnapshot sample() {
        MemoryUsage heap = memoryBean.getHeapMemoryUsage();
        long heapMax = heap.getMax() > 0 ? heap.getMax() : Runtime.getRuntime().maxMemory();
        long total;
        long available;
        if (globalMemory != null) {
            total = globalMemory.getTotal();
            available = globalMemory.getAvailable();
        } else {
            com.sun.management.OperatingSystemMXBean os = jdkOs();
            total = os.getTotalMemorySize();
            available = os.getFreeMemorySize();
        }
        Optional<CgroupMemory.Reading> container = cgroup.read();
        return new MemorySnapshot(heapInUse(heap.getUsed(), heapPools), heapMax, total, available,
                container.map(CgroupMemory.Reading::limit).orElse(MemorySnapshot.NO_LIMIT),
                container.map(CgroupMemory.Reading::usage).orElse(MemorySnapshot.NO_LIMIT),
                clock.instant(),
                descriptors != null ? descriptors.getOpenFileDescriptorCount() : MemorySnapshot.NO_LIMIT,
                descriptors != null ? descriptors.getMaxFileDescriptorCount() : MemorySnapshot.NO_LIMIT);
    }

    /**
     * Heap in use outside eden: the sum of the survivor, old and any other heap pools. Objects that
     * outlive a minor collection count as soon as they move out of eden; the bytes of buffered
     * uploads count in the budget's reservations anyway. Collectors without an eden (ZGC,
     * Shenandoah, Epsilon) have one heap pool, which counts as it is; without pool beans at all,
     * {@code heapUsed} counts.
     *
     * @param heapUsed the whole heap's usage, used when there are no pools to read
     * @param pools    the heap's memory pools
     */
    static long heapInUse(long heapUsed, List<MemoryPoolMXBean> pools) {
        if (pools.isEmpty()) {
            return heapUsed;
        }
        long used = 0;
        for (MemoryPoolMXBean pool : pools) {
            MemoryUsage usage = pool.getUsage();
            if (usage != null && !isEden(pool)) {
                used += usage.getUsed();
            }
        }
        return used;
    }

    static List<MemoryPoolMXBean> heapPools(List<MemoryPoolMXBean> pools) {
        return pools.stream().filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    }

    private static boolean isEden(MemoryPoolMXBean pool) {
        return pool.getName().contains("Eden");
    }

    private static GlobalMemory loadOshi() {
        try {
            GlobalMemory memory = new SystemInfo().getHardware().getMemory();
            memory.getAvailable();
            return memory;
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    private static com.sun.management.OperatingSystemMXBean jdkOs() {
        return (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    }
}
