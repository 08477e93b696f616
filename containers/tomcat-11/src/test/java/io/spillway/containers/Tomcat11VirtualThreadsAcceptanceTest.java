package io.spillway.containers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;

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

    @Override
    protected boolean onVirtualThreads() {
        return true;
    }
}
