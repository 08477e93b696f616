package io.spillway.containers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;

/** The acceptance suite on embedded Tomcat 10.1 (Servlet 6.0). */
class Tomcat101AcceptanceTest extends ContainerAcceptanceSuite {

    @BeforeAll
    static void isTomcat101() {
        assertTrue(EmbeddedTomcat.serverInfo().startsWith("Apache Tomcat/10.1."), EmbeddedTomcat.serverInfo());
    }

    @Override
    protected ServletContainer.Launcher launcher() {
        return EmbeddedTomcat::start;
    }

    @Override
    protected boolean wakesBlockedReads() {
        return true;
    }
}
