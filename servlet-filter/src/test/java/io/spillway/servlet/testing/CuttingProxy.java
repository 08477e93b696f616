package io.spillway.servlet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 that forwards to a server and, once armed, breaks a connection in the
 * middle of a request body, after {@code cutAfter} bytes sent by clients in total. A cut
 * ({@link #armAfter}) closes both sides of the connection carrying that byte, as a client that
 * goes away does. A stall ({@link #armStallAfter}) closes only the client's side and leaves the
 * server's side open and silent, as a dropped network does (a Wi-Fi change, a mobile handover):
 * the server never hears that the client is gone and its read waits for bytes that never come.
 */
public final class CuttingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final AtomicLong upstreamBytes = new AtomicLong();
    private final AtomicBoolean cut = new AtomicBoolean();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile long cutAfter = Long.MAX_VALUE;
    private volatile boolean stall;

    public CuttingProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Cuts the connection that carries the client byte number {@code bytes} (counted from now on). */
    public void armAfter(long bytes) {
        arm(bytes, false);
    }

    /**
     * Stalls the connection that carries the client byte number {@code bytes} (counted from now
     * on): the client's side is closed, the server's side stays open with nothing more sent.
     */
    public void armStallAfter(long bytes) {
        arm(bytes, true);
    }

    private void arm(long bytes, boolean stallIt) {
        upstreamBytes.set(0);
        cut.set(false);
        stall = stallIt;
        cutAfter = bytes;
    }

    public void disarm() {
        cutAfter = Long.MAX_VALUE;
    }

    /** Whether a connection was cut since the proxy was armed. */
    public boolean didCut() {
        return cut.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean upstream) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (upstream) {
                        long before = upstreamBytes.getAndAdd(n);
                        if (before + n >= cutAfter) {
                            int keep = (int) Math.max(0, cutAfter - before);
                            out.write(buffer, 0, keep);
                            out.flush();
                            cut.set(true);
                            cutAfter = Long.MAX_VALUE;
                            closeQuietly(from);
                            if (stall) {
                                awaitClose();
                            }
                            closeQuietly(to);
                            return;
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException gone) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Holds the server's side of a stalled connection open until the proxy closes. */
    private void awaitClose() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        listener.close();
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }
}
