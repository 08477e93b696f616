package io.spillway.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.servlet.MemoryAwareUploadFilter;
import io.spillway.servlet.testing.Http;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The acceptance suite on Tomcat 11 with {@code useVirtualThreads=true}: the slow-client guard,
 * the read unblocker, lock release and shutdown work when requests run on virtual threads. It runs
 * in its own surefire execution on a Java 21+ JDK (see the module's pom; CI uses Temurin 25), while
 * the library itself stays on Java 17.
 */
class Tomcat11VirtualThreadsAcceptanceTest extends ContainerAcceptanceSuite {

    @BeforeAll
    static void runsOnAJdkWithVirtualThreads() {
        assertTrue(Runtime.version().feature() >= 21, "this test needs Java 21+, runs on " + Runtime.version());
        assertTrue(EmbeddedTomcat.serverInfo().startsWith("Apache Tomcat/11."), EmbeddedTomcat.serverInfo());
    }

    @Override
    protected ServletContainer.Launcher launcher() {
        return EmbeddedTomcat::startOnVirtualThreads;
    }

    @Override
    protected boolean wakesBlockedReads() {
        return true;
    }

    @Test
    void requestsBehindTheFilter_runOnVirtualThreads() throws Exception {
        HttpServlet threadName = new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().write(Thread.currentThread().toString());
            }
        };
        try (ServletContainer container = EmbeddedTomcat.startOnVirtualThreads(new MemoryAwareUploadFilter(),
                Map.of("tempDirectory", temp.resolve("threads").toString(), "diskReserve", "0"), threadName)) {
            HttpResponse<String> response = Http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + container.port() + "/upload")).GET().build());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().startsWith("VirtualThread["), response.body());
        }
    }
}
