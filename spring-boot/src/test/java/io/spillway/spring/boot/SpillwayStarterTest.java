package io.spillway.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.spillway.core.internal.json.Json;
import io.spillway.servlet.MemoryAwareUploadFilter;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MultipartBody;
import io.spillway.spring.boot.app.UploadApplication;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The starter in a real Boot application on embedded Tomcat, in a test JVM of {@code -Xmx128m}
 * (see the module's surefire configuration): a 1 GiB upload reaches a {@code MultipartFile} whole
 * while the heap stays flat, the limits come from {@code spillway.*} properties, and the filter's
 * figures appear in Micrometer and Actuator.
 */
@SpringBootTest(classes = UploadApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spillway.max-file-size=2GB", "spillway.max-request-size=2GB", "spillway.disk-reserve=0",
                "spillway.temp-directory=${java.io.tmpdir}/spillway-starter-test",
                "management.endpoint.health.show-components=always",
                "management.endpoint.health.show-details=always"})
class SpillwayStarterTest {

    private static final long GIB = 1L << 30;

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    @Autowired
    MemoryAwareUploadFilter filter;

    @Test
    void oneGibUpload_reachesAMultipartFileWhole_atASmallHeap_withTheHeapFlat() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        assertTrue(Runtime.getRuntime().maxMemory() <= 160L << 20, "the test JVM runs at -Xmx128m");
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        MultipartBody body = new MultipartBody().field("title", "big").generatedFile("file", "big.bin", 1, GIB).end();
        HttpResponse<String> response = Http.post(uri("/upload"), body);
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> seen = Json.parseObject(response.body());
        assertEquals("big", seen.get("title"));
        assertEquals("big.bin", seen.get("fileName"));
        assertEquals(GIB, seen.get("size"));
        assertEquals(GeneratedStream.sha256Of(1, GIB), seen.get("sha256"));
        System.gc();
        long grown = memory.getHeapMemoryUsage().getUsed() - before;
        assertTrue(grown < 32L << 20, "heap after the upload grew by " + (grown >> 20) + " MiB");
        assertEquals(1.0, registry.get("spillway.uploads").tag("route", "streamed").functionCounter().count());
        assertTrue(registry.get("spillway.received").functionCounter().count() >= GIB);
    }

    @Test
    void requestPart_getsSpillwaysPart_andTheLimitsAreSpillways() {
        HttpResponse<String> small = Http.post(uri("/upload/part"),
                new MultipartBody().generatedFile("file", "small.bin", 2, 5_000_000).end());
        assertEquals(200, small.statusCode(), small.body());
        assertEquals(GeneratedStream.sha256Of(2, 5_000_000), Json.parseObject(small.body()).get("sha256"),
                "over Spring's default max-file-size of 1MB: Spillway's limit of 2GB applies here");
        assertTrue(filter.monitor().counters().routedByRoute().get("BUFFERED") >= 1);
    }

    @Test
    void actuatorHealth_hasASpillwayComponent_withTheHealthServletsFigures() {
        HttpResponse<String> health = Http.send(HttpRequest.newBuilder(uri("/actuator/health/spillway")).GET().build());
        assertEquals(200, health.statusCode(), health.body());
        Map<String, Object> json = Json.parseObject(health.body());
        assertEquals("UP", json.get("status"));
        Map<?, ?> details = (Map<?, ?>) json.get("details");
        assertTrue(details.containsKey("heap") && details.containsKey("budget") && details.containsKey("tempDirectory"),
                String.valueOf(details.keySet()));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
