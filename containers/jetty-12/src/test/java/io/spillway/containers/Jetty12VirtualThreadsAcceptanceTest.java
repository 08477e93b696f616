package io.spillway.containers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;

/**
 * The acceptance suite on Jetty 12 with a {@code VirtualThreadPool}: the slow-client guard, lock
 * release and shutdown work when requests run on virtual threads (a blocked read is not woken
 * here either, as on Jetty's platform threads). It runs
 * in its own surefire execution on a Java 21+ JDK (see the module's pom; CI uses Temurin 25), while
 * the library itself stays on Java 17.
 */
class Jetty12VirtualThreadsAcceptanceTest extends ContainerAcceptanceSuite {

    @BeforeAll
    static void runsOnAJdkWithVirtualThreads() {
        assertTrue(Runtime.version().feature() >= 21, "this test needs Java 21+, runs on " + Runtime.version());
    }

    @Override
    protected ServletContainer.Launcher launcher() {
        return EmbeddedJetty::startOnVirtualThreads;
    }

    @Override
    protected boolean wakesBlockedReads() {
        return false;
    }

    @Override
    protected boolean onVirtualThreads() {
        return true;
    }
}
