package io.spillway.servlet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.memory.MemoryBudget;
import io.spillway.core.memory.MemorySnapshot;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MultipartBody;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.TestServer;
import io.spillway.servlet.testing.TestServers;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Health over real HTTP with a fake memory probe, and the same figures through JMX. */
class UploadHealthServletTest {

    private static final long GIB = 1L << 30;
    private static final ObjectName OUR_BEAN = name("io.spillway:type=UploadFilter,context=/,name=spillway,*");

    @TempDir
    Path temp;

    private final AtomicReference<MemorySnapshot> memory = new AtomicReference<>(snapshot(GIB / 2));
    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    @RegisterExtension
    final TestServers servers = new TestServers();

    private TestServer server;

    private static MemorySnapshot snapshot(long heapUsed) {
        return new MemorySnapshot(heapUsed, GIB, 16 * GIB, 8 * GIB, 2 * GIB, GIB, Instant.now(), 321, 20_000);
    }

    private MemoryAwareUploadFilter start(Map<String, String> params) {
        Map<String, String> all = new HashMap<>(Map.of("tempDirectory", temp.resolve("spill").toString(),
                "inMemoryThreshold", "1MB", "diskReserve", "0", "probeInterval", "1h"));
        all.putAll(params);
        MemoryAwareUploadFilter filter = new MemoryAwareUploadFilter(memory::get, Clock.systemUTC());
        server = servers.start(TestServer.builder().filter(filter, all, "/upload/*", "/upload")
                .servlet("/upload/*", new PartsEchoServlet())
                .servlet("/spillway/health", new UploadHealthServlet()));
        return filter;
    }

    private HttpResponse<String> health() {
        return Http.send(HttpRequest.newBuilder(server.uri("/spillway/health")).GET().build());
    }

    @Test
    void heapAboveCriticalRatio_is503_andBelow_is200() {
        MemoryAwareUploadFilter filter = start(Map.of());
        HttpResponse<String> ok = health();
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("ok", Http.json(ok).get("status"));

        memory.set(snapshot(GIB * 91 / 100));
        filter.probe().refreshNow();
        HttpResponse<String> critical = health();
        assertEquals(503, critical.statusCode());
        assertEquals("critical", Http.json(critical).get("status"));
        assertEquals(0.91, ((Map<?, ?>) Http.json(critical).get("heap")).get("ratio"));

        memory.set(snapshot(GIB * 90 / 100));
        filter.probe().refreshNow();
        assertEquals(200, health().statusCode(), "exactly at the ratio is not above it");
    }

    @Test
    void figures_matchTheProbe_theBudgetAndTheUploads() throws Exception {
        MemoryAwareUploadFilter filter = start(Map.of("maxRequestSize", "2MB", "maxFileSize", "2MB"));
        MemoryBudget budget = filter.budget();
        assertEquals(200, Http.post(server.uri("/upload"),
                new MultipartBody().file("doc", "a.txt", new byte[1000]).end()).statusCode());
        assertEquals(413, Http.post(server.uri("/upload"),
                new MultipartBody().generatedFile("doc", "b.bin", 1, 3_000_000).end()).statusCode());
        awaitNoUploadInFlight(filter);
        Files.write(filter.storage().createFile(".part"), new byte[1234]);
        try (MemoryBudget.Reservation held = budget.tryReserve(12_345, GIB).orElseThrow()) {
            Map<String, Object> json = Http.json(health());
            Map<?, ?> heap = (Map<?, ?>) json.get("heap");
            assertEquals(GIB / 2, heap.get("used"));
            assertEquals(GIB, heap.get("max"));
            assertEquals(0.9, heap.get("criticalRatio"));
            assertEquals(Map.of("total", 16 * GIB, "available", 8 * GIB), json.get("physical"));
            assertEquals(Map.of("limit", 2 * GIB, "usage", GIB), json.get("container"));
            assertEquals(Map.of("open", 321L, "max", 20_000L), json.get("fileDescriptors"));
            Map<?, ?> budgetJson = (Map<?, ?>) json.get("budget");
            assertEquals(12_345L, budgetJson.get("reserved"));
            assertEquals(GIB / 4, budgetJson.get("capacity"), "50% of 512 MiB heap headroom");
            assertEquals(1L, budgetJson.get("holders"));
            assertEquals(Map.of("BUFFERED", 1L, "STREAMED", 0L), json.get("routed"));
            assertEquals(Map.of("413", 1L), json.get("rejected"));
            assertEquals(Map.of("total", 0L), json.get("uploadsInFlight"));
            Map<?, ?> tempDir = (Map<?, ?>) json.get("tempDirectory");
            assertEquals(1L, tempDir.get("files"));
            assertEquals(1234L, tempDir.get("bytes"));
            assertTrue((Long) tempDir.get("freeDisk") > 0);
            assertFalse(json.toString().contains(temp.toString()), "no paths in the document");

            ObjectName name = ourBean();
            assertEquals(12_345L, mbeans.getAttribute(name, "BudgetReserved"));
            assertEquals(GIB / 4, mbeans.getAttribute(name, "BudgetCapacity"));
            assertEquals(GIB / 2, mbeans.getAttribute(name, "HeapUsed"));
            assertEquals(2 * GIB, mbeans.getAttribute(name, "ContainerLimit"));
            assertEquals(1L, mbeans.getAttribute(name, "TempDirectoryFiles"));
        }
        assertEquals(0, budget.reserved());
    }

    @Test
    void healthWithoutARunningFilter_is503() {
        server = servers.start(TestServer.builder().servlet("/spillway/health", new UploadHealthServlet()));
        HttpResponse<String> response = health();
        assertEquals(503, response.statusCode());
        assertEquals("the spillway filter is not running", Http.json(response).get("error"));
    }

    @Test
    void jmxKnobs_steerTheNextRoutingDecision_andTheBeanGoesWithTheFilter() throws Exception {
        MemoryAwareUploadFilter filter = start(Map.of());
        ObjectName name = ourBean();
        assertEquals("BUFFERED", Http.json(Http.post(server.uri("/upload"),
                new MultipartBody().file("doc", "a.txt", new byte[5000]).end())).get("route"));

        mbeans.setAttribute(name, new Attribute("InMemoryThreshold", 0L));
        assertEquals(0, filter.config().inMemoryThreshold());
        Map<String, Object> streamed = Http.json(Http.post(server.uri("/upload"),
                new MultipartBody().file("doc", "a.txt", new byte[5000]).end()));
        assertEquals("STREAMED", streamed.get("route"));
        assertTrue(streamed.get("reason").toString().endsWith("> inMemoryThreshold 0 B"), streamed.get("reason").toString());

        mbeans.setAttribute(name, new Attribute("CriticalHeapRatio", 0.4));
        assertEquals(503, health().statusCode(), "heap at 50% > 40%");
        assertEquals(Boolean.FALSE, mbeans.getAttribute(name, "Healthy"));
        mbeans.setAttribute(name, new Attribute("MemoryFraction", 0.1));
        assertEquals((long) (0.1 * (GIB / 2)), mbeans.getAttribute(name, "BudgetCapacity"));
        assertEquals(Map.of("BUFFERED", 1L, "STREAMED", 1L), Map.copyOf(filter.monitor().counters().routedByRoute()));

        server.close();
        server = null;
        assertFalse(mbeans.isRegistered(name), "unregistered in destroy");
    }

    @Test
    void twoFiltersOfTheSameName_inOneJvm_getTwoBeans() {
        start(Map.of());
        try (TestServer second = TestServer.builder()
                .filter(new MemoryAwareUploadFilter(memory::get, Clock.systemUTC()),
                        Map.of("tempDirectory", temp.resolve("spill2").toString()), "/upload")
                .start()) {
            Set<ObjectName> names = mbeans.queryNames(OUR_BEAN, null);
            assertEquals(2, names.size(), names.toString());
        }
        assertEquals(1, mbeans.queryNames(OUR_BEAN, null).size());
    }

    /**
     * Waits until the filter has ended the uploads: a client has its response before the filter's
     * cleanup (Tomcat sends it once its Content-Length is written; a refusal is flushed).
     */
    private static void awaitNoUploadInFlight(MemoryAwareUploadFilter filter) {
        await("no upload in flight").atMost(Duration.ofSeconds(60)).until(() -> filter.monitor().active().count() == 0);
    }


    private ObjectName ourBean() {
        Set<ObjectName> names = mbeans.queryNames(OUR_BEAN, null);
        assertEquals(1, names.size(), names.toString());
        ObjectName name = names.iterator().next();
        assertNull(name.getKeyProperty("instance"));
        return name;
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
