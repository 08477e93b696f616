package io.spillway.containers;

import io.spillway.containers.ContainerUnderTest.BlockedReads;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The acceptance suite on embedded Tomcat 11 (Servlet 6.1). */
class Tomcat11AcceptanceTest extends ContainerAcceptanceSuite {

    @RegisterExtension
    static final ContainerUnderTest TOMCAT_11 =
            ContainerUnderTest.onPlatformThreads(EmbeddedTomcat::start, BlockedReads.WOKEN,
                    () -> EmbeddedTomcat.assertVersion("11."));
}
