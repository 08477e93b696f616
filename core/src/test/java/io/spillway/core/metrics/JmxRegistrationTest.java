package io.spillway.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.activity.ActiveUploads;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.memory.MemoryBudget;
import io.spillway.core.memory.MemorySnapshot;
import io.spillway.core.memory.SampledMemoryProbe;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.time.Ticker;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmxRegistrationTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path temp;

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final AtomicReference<SpillwayConfig> config = new AtomicReference<>(SpillwayConfig.ofDefaults());

    private UploadFilterMetrics metrics(MemoryBudget budget) throws Exception {
        MemorySnapshot memory = new MemorySnapshot(100 * MIB, 400 * MIB, 8192 * MIB, 4096 * MIB,
                1024 * MIB, 512 * MIB, Instant.now());
        SampledMemoryProbe probe = new SampledMemoryProbe(() -> memory, Ticker.system(), Duration.ofHours(1), Runnable::run);
        UploadCounters counters = new UploadCounters();
        counters.rejected(413);
        counters.rejected(413);
        UploadMonitor monitor = new UploadMonitor(probe, budget, config::get, counters,
                new ActiveUploads(0, Duration.ofSeconds(1), Ticker.system()),
                TempStorage.open(temp.resolve("spill")));
        return new UploadFilterMetrics(monitor, config::set);
    }

    @Test
    void bean_showsTheFigures_andTakesTheThreeKnobs() throws Exception {
        MemoryBudget budget = new MemoryBudget();
        budget.tryReserve(5 * MIB, 100 * MIB).orElseThrow();
        UploadFilterMetrics metrics = metrics(budget);
        Files.write(temp.resolve("spill").resolve("spw-x.part"), new byte[1000]);
        try (JmxRegistration registration = JmxRegistration.register("/shop", "uploads", metrics)) {
            ObjectName name = registration.name();
            assertEquals("io.spillway:type=UploadFilter,context=/shop,name=uploads", name.toString());
            assertEquals(5 * MIB, server.getAttribute(name, "BudgetReserved"));
            assertEquals(150 * MIB, server.getAttribute(name, "BudgetCapacity"), "50% of 300 MiB heap headroom");
            assertEquals(1024 * MIB, server.getAttribute(name, "ContainerLimit"));
            assertEquals(1L, server.getAttribute(name, "TempDirectoryFiles"));
            assertEquals(1000L, server.getAttribute(name, "TempDirectoryBytes"));
            assertEquals(Boolean.TRUE, server.getAttribute(name, "Healthy"));
            assertTrue(server.getAttribute(name, "RejectedUploads").toString().contains("413"));

            server.setAttribute(name, new Attribute("MemoryFraction", 0.25));
            server.setAttribute(name, new Attribute("InMemoryThreshold", 0L));
            server.setAttribute(name, new Attribute("CriticalHeapRatio", 0.2));
            assertEquals(0.25, config.get().memoryFraction());
            assertEquals(0, config.get().inMemoryThreshold());
            assertEquals(75 * MIB, server.getAttribute(name, "BudgetCapacity"));
            assertEquals(Boolean.FALSE, server.getAttribute(name, "Healthy"), "heap at 25% > 20%");

            RuntimeMBeanException bad = assertThrows(RuntimeMBeanException.class,
                    () -> server.setAttribute(name, new Attribute("MemoryFraction", 1.5)));
            assertEquals("memoryFraction must be greater than 0 and at most 1: 1.5", bad.getCause().getMessage());
            assertEquals(0.25, config.get().memoryFraction(), "unchanged");
        }
        assertTrue(server.queryNames(new ObjectName("io.spillway:context=/shop,*"), null).isEmpty(), "unregistered");
    }

    @Test
    void sameContextAndFilterName_getUniqueNames() throws Exception {
        MemoryBudget budget = new MemoryBudget();
        try (JmxRegistration first = JmxRegistration.register("", "spillway-unique", metrics(budget));
             JmxRegistration second = JmxRegistration.register("", "spillway-unique", metrics(budget))) {
            assertEquals("io.spillway:type=UploadFilter,context=/,name=spillway-unique", first.name().toString());
            assertEquals("io.spillway:type=UploadFilter,context=/,name=spillway-unique,instance=2", second.name().toString());
            second.close();
            assertFalse(server.isRegistered(second.name()));
            assertTrue(server.isRegistered(first.name()));
        }
    }
}
