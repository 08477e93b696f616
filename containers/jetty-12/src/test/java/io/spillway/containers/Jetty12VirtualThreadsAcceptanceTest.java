package io.spillway.containers;

import io.spillway.containers.ContainerUnderTest.BlockedReads;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The acceptance suite on Jetty 12 with a {@code VirtualThreadPool}: the slow-client guard, lock
 * release and shutdown work when requests run on virtual threads (a blocked read is not woken
 * here either, as on Jetty's platform threads). It runs
 * in its own surefire execution on a Java 21+ JDK (see the module's pom; CI uses Temurin 25), while
 * the library itself stays on Java 17.
 */
class Jetty12VirtualThreadsAcceptanceTest extends ContainerAcceptanceSuite {

    @RegisterExtension
    static final ContainerUnderTest JETTY_12_ON_VIRTUAL_THREADS = ContainerUnderTest.onVirtualThreads(
            EmbeddedJetty::startOnVirtualThreads, BlockedReads.NOT_WOKEN);
}
