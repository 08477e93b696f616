package io.spillway.micrometer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spillway.servlet.MemoryAwareUploadFilter;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MultipartBody;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binder without Spring: bound before the filter starts (as Boot does), it reads 0; after
 * real uploads through an embedded Tomcat it reads what the filter counted.
 */
class SpillwayMetricsTest {

    @TempDir
    Path temp;

    @Test
    void metersFollowTheFilter_fromBeforeItStartsToAfterUploads() {
        MemoryAwareUploadFilter filter = new MemoryAwareUploadFilter();
        MeterRegistry registry = new SimpleMeterRegistry();
        new SpillwayMetrics(() -> filter.isRunning() ? filter.monitor() : null).bindTo(registry);
        assertEquals(0.0, registry.get("spillway.uploads").tag("route", "buffered").functionCounter().count());
        System.gc(); // nobody keeps the binder but the registry: its meters must read on

        try (TestServer server = TestServer.builder()
                .filter(filter, Map.of("tempDirectory", temp.resolve("spill").toString(), "diskReserve", "0",
                        "inMemoryThreshold", "1MB", "maxFileSize", "4MB"), "/upload")
                .servlet("/upload", new PartsEchoServlet()).start()) {
            assertEquals(200, Http.post(server.uri("/upload"),
                    new MultipartBody().generatedFile("doc", "small.bin", 1, 10_000).end()).statusCode());
            assertEquals(200, Http.post(server.uri("/upload"),
                    new MultipartBody().generatedFile("doc", "large.bin", 2, 2_000_000).end()).statusCode());
            assertEquals(413, Http.post(server.uri("/upload"),
                    new MultipartBody().generatedFile("doc", "huge.bin", 3, 5_000_000).end()).statusCode());

            await("each upload ends just after its answer is written").atMost(Duration.ofSeconds(10))
                    .until(() -> registry.get("spillway.uploads.active").gauges().stream()
                            .allMatch(gauge -> gauge.value() == 0.0));
            assertEquals(1.0, registry.get("spillway.uploads").tag("route", "buffered").functionCounter().count());
            assertEquals(2.0, registry.get("spillway.uploads").tag("route", "streamed").functionCounter().count(),
                    "the refused one was routed too, then cut off at the limit");
            assertEquals(1.0, registry.get("spillway.uploads.rejected").tag("status", "413").functionCounter().count());
            assertEquals(0.0, registry.get("spillway.uploads.rejected").tag("status", "400").functionCounter().count());
            assertEquals(2.0, registry.get("spillway.uploads.completed").functionCounter().count());
            assertTrue(registry.get("spillway.received").functionCounter().count() >= 2_010_000);
            assertEquals(0.0, registry.get("spillway.budget.reserved").gauge().value());
            assertTrue(registry.get("spillway.budget.capacity").gauge().value() > 0);
            assertEquals(0.0, registry.get("spillway.temp.directory").gauge().value());
            assertEquals("bytes", registry.get("spillway.received").functionCounter().getId().getBaseUnit());
        }
    }
}
