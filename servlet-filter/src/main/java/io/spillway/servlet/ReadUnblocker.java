package io.spillway.servlet;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a servlet read that is blocked in the socket return at once, so that the slow-client
 * watchdog and a shutdown can free the thread of a client that sends nothing.
 *
 * <p>The Servlet API has no way to do this: closing the request's stream, interrupting the
 * thread or committing a response from another thread all leave Tomcat's blocking read waiting
 * for the next byte (measured on Tomcat 11.0.14; the container suite checks it on 11.0.29 and
 * 10.1.62, also on virtual threads). Half-closing the connection's input does work: the blocked
 * read sees end-of-stream, fails, and the request thread itself then writes the 408
 * and cleans up. Reaching the socket takes Tomcat internals (the request facade, its coyote
 * request, the HTTP/1.1 processor, the socket wrapper), looked up by reflection on the request
 * thread when the upload starts, so that the watchdog only holds the channel of this connection.
 *
 * <p>Tomcat answers a failed body read itself: it calls {@code sendError(400)} and suspends the
 * response, so that its error page (with the exception's stack trace) would replace the 408.
 * After a read that this class broke on purpose, {@link #forgetReadFailure} lifts that error
 * state so that the filter's own short answer goes out.
 *
 * <p>Only HTTP/1.1 over Tomcat's NIO and NIO2 connectors is touched: on HTTP/2 the socket carries
 * other streams. Anywhere else (Jetty, another connector, a failed lookup) the unblocker does
 * nothing, and a slow body is cut off at its next byte or by the container's own read timeout
 * ({@code connectionTimeout} on Tomcat, which bounds a silent client).
 */
final class ReadUnblocker {

    private static final System.Logger LOG = System.getLogger(ReadUnblocker.class.getName());
    private static final Runnable NOTHING = () -> { };
    private static final String FACADE = "org.apache.catalina.connector.RequestFacade";
    private static final String RESPONSE_FACADE = "org.apache.catalina.connector.ResponseFacade";
    private static final String ERROR_EXCEPTION = "jakarta.servlet.error.exception";
    private static final String HTTP11_PROCESSOR = "org.apache.coyote.http11.Http11Processor";
    private static final ConcurrentHashMap<String, Object> MEMBERS = new ConcurrentHashMap<>();
    private static volatile boolean unsupported;

    private ReadUnblocker() {
    }

    /** An action that half-closes this request's connection input, or one that does nothing. */
    static Runnable forRequest(ServletRequest request) {
        if (unsupported) {
            return NOTHING;
        }
        ServletRequest inner = request;
        while (inner instanceof ServletRequestWrapper wrapper) {
            inner = wrapper.getRequest();
        }
        if (!inner.getClass().getName().equals(FACADE)) {
            return NOTHING;
        }
        try {
            Object channel = channelOf(inner);
            if (channel instanceof SocketChannel socket) {
                return () -> shutdownQuietly(socket::shutdownInput);
            }
            if (channel instanceof AsynchronousSocketChannel socket) {
                return () -> shutdownQuietly(socket::shutdownInput);
            }
            return NOTHING;
        } catch (ReflectiveOperationException | RuntimeException e) {
            unsupported = true;
            LOG.log(System.Logger.Level.DEBUG,
                    "cannot reach Tomcat's socket; slow uploads are cut off at their next byte", e);
            return NOTHING;
        }
    }

    /**
     * Undoes what Tomcat did when a read failed because the upload was aborted: the error status,
     * the suspended response and the recorded exception. Does nothing elsewhere.
     */
    static void forgetReadFailure(ServletRequest request, ServletResponse response) {
        ServletResponse inner = response;
        while (inner instanceof ServletResponseWrapper wrapper) {
            inner = wrapper.getResponse();
        }
        if (!inner.getClass().getName().equals(RESPONSE_FACADE)) {
            return;
        }
        try {
            Object connectorResponse = field(inner.getClass(), "response").get(inner);
            if (!(Boolean) method(connectorResponse.getClass(), "isError").invoke(connectorResponse)) {
                return;
            }
            connectorResponse.getClass().getMethod("setSuspended", boolean.class).invoke(connectorResponse, false);
            method(connectorResponse.getClass(), "resetError").invoke(connectorResponse);
            request.removeAttribute(ERROR_EXCEPTION);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot clear Tomcat's read error; its error page answers instead", e);
        }
    }

    private static Object channelOf(ServletRequest facade) throws ReflectiveOperationException {
        Object connectorRequest = field(facade.getClass(), "request").get(facade);
        Object coyoteRequest = method(connectorRequest.getClass(), "getCoyoteRequest").invoke(connectorRequest);
        Object processor = field(coyoteRequest.getClass(), "hook").get(coyoteRequest);
        if (processor == null || !isA(processor.getClass(), HTTP11_PROCESSOR)) {
            return null;
        }
        Object socketWrapper = method(processor.getClass(), "getSocketWrapper").invoke(processor);
        if (socketWrapper == null) {
            return null;
        }
        Object socket = method(socketWrapper.getClass(), "getSocket").invoke(socketWrapper);
        return socket == null ? null : method(socket.getClass(), "getIOChannel").invoke(socket);
    }

    private static boolean isA(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Object member = MEMBERS.get(type.getName() + "#" + name);
        if (member instanceof Field found) {
            return found;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                MEMBERS.put(type.getName() + "#" + name, field);
                return field;
            } catch (NoSuchFieldException notHere) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    private static Method method(Class<?> type, String name) throws NoSuchMethodException {
        Object member = MEMBERS.get(type.getName() + "#" + name + "()");
        if (member instanceof Method found) {
            return found;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Method method = c.getDeclaredMethod(name);
                method.setAccessible(true);
                MEMBERS.put(type.getName() + "#" + name + "()", method);
                return method;
            } catch (NoSuchMethodException notHere) {
                // look in the superclass
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + name + "()");
    }

    private static void shutdownQuietly(Shutdown shutdown) {
        try {
            shutdown.run();
        } catch (IOException | RuntimeException alreadyClosed) {
            // the connection is gone already: nothing is blocked on it
        }
    }

    @FunctionalInterface
    private interface Shutdown {
        void run() throws IOException;
    }
}
