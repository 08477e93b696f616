package io.spillway.core.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.time.Clock;
import java.util.Optional;
import oshi.SystemInfo;
import oshi.hardware.GlobalMemory;

/**
 * The live probe: heap from the {@link MemoryMXBean}, physical memory from OSHI's
 * {@link GlobalMemory}, container limit from {@link CgroupMemory}.
 *
 * <p>When OSHI cannot load (no native access), physical memory falls back to the JDK's
 * container-aware {@code OperatingSystemMXBean}.
 */
public final class SystemMemoryProbe implements MemoryProbe {

    private final MemoryMXBean memoryBean = ManagementFactory.getMemoryMXBean();
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
        return new MemorySnapshot(heap.getUsed(), heapMax, total, available,
                container.map(CgroupMemory.Reading::limit).orElse(MemorySnapshot.NO_LIMIT),
                container.map(CgroupMemory.Reading::usage).orElse(MemorySnapshot.NO_LIMIT),
                clock.instant());
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
