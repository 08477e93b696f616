package io.spillway.containers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.containers.ContainerUnderTest.BlockedReads;
import org.eclipse.jetty.util.Jetty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The acceptance suite on embedded Jetty 12 ee10 (Servlet 6.0). Jetty's blocked read cannot be
 * woken from another thread, so a silent client is cut off at its next byte (or by Jetty's idle
 * timeout) instead of at once.
 */
class Jetty12AcceptanceTest extends ContainerAcceptanceSuite {

    @RegisterExtension
    static final ContainerUnderTest JETTY_12 =
            ContainerUnderTest.onPlatformThreads(EmbeddedJetty::start, BlockedReads.NOT_WOKEN,
                    () -> assertTrue(Jetty.VERSION.startsWith("12."), Jetty.VERSION));
}
