package io.spillway.containers;

import io.spillway.containers.ContainerUnderTest.BlockedReads;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The acceptance suite on embedded Tomcat 10.1 (Servlet 6.0). */
class Tomcat101AcceptanceTest extends ContainerAcceptanceSuite {

    @RegisterExtension
    static final ContainerUnderTest TOMCAT_10_1 =
            ContainerUnderTest.onPlatformThreads(EmbeddedTomcat::start, BlockedReads.WOKEN,
                    () -> EmbeddedTomcat.assertVersion("10.1."));
}
