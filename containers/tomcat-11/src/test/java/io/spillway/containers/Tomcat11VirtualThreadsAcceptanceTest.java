package io.spillway.containers;

import io.spillway.containers.ContainerUnderTest.BlockedReads;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The acceptance suite on Tomcat 11 with {@code useVirtualThreads=true}: the slow-client guard,
 * the read unblocker, lock release and shutdown work when requests run on virtual threads. It runs
 * in its own surefire execution on a Java 21+ JDK (see the module's pom; CI uses Temurin 25), while
 * the library itself stays on Java 17.
 */
class Tomcat11VirtualThreadsAcceptanceTest extends ContainerAcceptanceSuite {

    @RegisterExtension
    static final ContainerUnderTest TOMCAT_11_ON_VIRTUAL_THREADS =
            ContainerUnderTest.onVirtualThreads(EmbeddedTomcat::startOnVirtualThreads, BlockedReads.WOKEN,
                    () -> EmbeddedTomcat.assertVersion("11."));
}
