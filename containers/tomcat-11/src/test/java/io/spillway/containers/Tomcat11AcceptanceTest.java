package io.spillway.containers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;

/** The acceptance suite on embedded Tomcat 11 (Servlet 6.1). */
class Tomcat11AcceptanceTest extends ContainerAcceptanceSuite {

    @BeforeAll
    static void isTomcat11() {
        assertTrue(EmbeddedTomcat.serverInfo().startsWith("Apache Tomcat/11."), EmbeddedTomcat.serverInfo());
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
