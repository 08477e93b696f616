package io.spillway.core.metrics;

import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers a filter's MXBean in the platform MBean server under a name unique in the JVM:
 * {@code io.spillway:type=UploadFilter,context=<path>,name=<filter>}, with
 * {@code ,instance=2} (3, ...) added when another filter of the same context path and name is
 * registered already (two embedded servers, a redeploy that overlaps).
 */
public final class JmxRegistration implements AutoCloseable {

    /** The JMX domain of Spillway's MBeans. */
    public static final String DOMAIN = "io.spillway";
    private static final int MAX_INSTANCES = 1000;

    private final MBeanServer server;
    private final ObjectName name;

    private JmxRegistration(MBeanServer server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    /**
     * Registers the bean.
     *
     * @param contextPath the web application's context path ({@code ""} for the root)
     * @param filterName  the filter's name
     * @throws JMException when no name is free or the bean is not compliant
     */
    public static JmxRegistration register(String contextPath, String filterName, UploadFilterMXBean bean)
            throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String base = DOMAIN + ":type=UploadFilter,context=" + value(contextPath.isEmpty() ? "/" : contextPath)
                + ",name=" + value(filterName);
        for (int instance = 1; instance <= MAX_INSTANCES; instance++) {
            ObjectName name = new ObjectName(instance == 1 ? base : base + ",instance=" + instance);
            try {
                server.registerMBean(bean, name);
                return new JmxRegistration(server, name);
            } catch (InstanceAlreadyExistsException taken) {
                // another filter has this name: try the next instance number
            }
        }
        throw new InstanceAlreadyExistsException(base + " is registered " + MAX_INSTANCES + " times");
    }

    /** The name the bean was registered under. */
    public ObjectName name() {
        return name;
    }

    /** Unregisters the bean; safe to call more than once. */
    @Override
    public void close() {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException gone) {
            // already unregistered
        } catch (JMException e) {
            throw new IllegalStateException("could not unregister " + name + ": " + e.getMessage(), e);
        }
    }

    private static String value(String text) {
        boolean plain = text.chars().noneMatch(c -> c == ',' || c == '=' || c == ':' || c == '"' || c == '*'
                || c == '?' || c == '\n' || c == '\\');
        return plain && !text.isEmpty() ? text : ObjectName.quote(text);
    }
}
