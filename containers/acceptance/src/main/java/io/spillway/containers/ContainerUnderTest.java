package io.spillway.containers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The container one acceptance test class runs the {@link ContainerAcceptanceSuite} on: how to
 * start it, where it behaves differently from the others, and what must hold before any of its
 * tests runs (that the classpath holds the container the class names, and a JDK with virtual
 * threads where requests run on them). Each container module's test class registers one as a
 * static extension, so that the class says only which container it is; the suite receives it as a
 * parameter.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ContainerUnderTest TOMCAT_11 =
 *         ContainerUnderTest.onPlatformThreads(EmbeddedTomcat::start, BlockedReads.WOKEN, () -> ...);
 * }</pre>
 */
public final class ContainerUnderTest implements BeforeAllCallback, ParameterResolver {

    /** Whether the filter can wake a body read that blocks in the container. */
    public enum BlockedReads {
        /** It can (Tomcat: by half-closing the connection's input). */
        WOKEN,
        /** It cannot: a silent client is cut off at its next byte or by the container's idle timeout. */
        NOT_WOKEN
    }

    private final ServletContainer.Launcher launcher;
    private final BlockedReads blockedReads;
    private final boolean onVirtualThreads;
    private final Runnable isTheNamedContainer;

    private ContainerUnderTest(ServletContainer.Launcher launcher, BlockedReads blockedReads,
                               boolean onVirtualThreads, Runnable isTheNamedContainer) {
        this.launcher = launcher;
        this.blockedReads = blockedReads;
        this.onVirtualThreads = onVirtualThreads;
        this.isTheNamedContainer = isTheNamedContainer;
    }

    /**
     * A container whose requests run on platform threads.
     *
     * @param isTheNamedContainer asserts that the container on the classpath is the one the test names
     */
    public static ContainerUnderTest onPlatformThreads(ServletContainer.Launcher launcher,
                                                       BlockedReads blockedReads, Runnable isTheNamedContainer) {
        return new ContainerUnderTest(launcher, blockedReads, false, isTheNamedContainer);
    }

    /**
     * A container whose requests run on virtual threads; before its tests, the JDK is checked to be
     * Java 21+ first, then {@code isTheNamedContainer}.
     */
    public static ContainerUnderTest onVirtualThreads(ServletContainer.Launcher launcher,
                                                      BlockedReads blockedReads, Runnable isTheNamedContainer) {
        return new ContainerUnderTest(launcher, blockedReads, true, isTheNamedContainer);
    }

    /** A container on virtual threads whose version the test does not check, only the JDK's. */
    public static ContainerUnderTest onVirtualThreads(ServletContainer.Launcher launcher, BlockedReads blockedReads) {
        return onVirtualThreads(launcher, blockedReads, () -> { });
    }

    /** Starts this container. */
    ServletContainer.Launcher launcher() {
        return launcher;
    }

    /** Whether the filter can wake a body read that blocks in this container. */
    boolean wakesBlockedReads() {
        return blockedReads == BlockedReads.WOKEN;
    }

    /** Whether this container runs requests on virtual threads (Java 21+). */
    boolean onVirtualThreads() {
        return onVirtualThreads;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (onVirtualThreads) {
            assertTrue(Runtime.version().feature() >= 21, "this test needs Java 21+, runs on " + Runtime.version());
        }
        isTheNamedContainer.run();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ContainerUnderTest.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return this;
    }
}
