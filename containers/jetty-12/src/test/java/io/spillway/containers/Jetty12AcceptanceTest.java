package io.spillway.containers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.jetty.util.Jetty;
import org.junit.jupiter.api.BeforeAll;

/**
 * The acceptance suite on embedded Jetty 12 ee10 (Servlet 6.0). Jetty's blocked read cannot be
 * woken from another thread, so a silent client is cut off at its next byte (or by Jetty's idle
 * timeout) instead of at once.
 */
class Jetty12AcceptanceTest extends ContainerAcceptanceSuite {

    @BeforeAll
    static void isJetty12() {
        assertTrue(Jetty.VERSION.startsWith("12."), Jetty.VERSION);
    }

    @Override
    protected ServletContainer.Launcher launcher() {
        return EmbeddedJetty::start;
    }

    @Override
    protected boolean wakesBlockedReads() {
        return false;
    }
}
