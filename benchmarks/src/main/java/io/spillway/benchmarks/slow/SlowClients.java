package io.spillway.benchmarks.slow;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Many slow uploads from one thread: non-blocking sockets, each sending one multipart file at a
 * fixed rate (a token bucket refilled every tick), opened at a fixed pace, each with a small send
 * buffer so that a server that does not read holds the client back as a mobile network would.
 * One thread drives them all, so the client itself costs little: the server is what is measured.
 *
 * <p>Each upload sends once per {@value #STEP_MILLIS} ms, but not all at the same moment: the
 * uploads are spread over {@value #PHASES} phases {@value #TICK_MILLIS} ms apart, as a thousand
 * phones are not in step with each other. Sent all at once, their bursts would make any server
 * look slower to a request that comes in the same instant.
 */
final class SlowClients implements AutoCloseable {

    private static final String BOUNDARY = "slow-upload-boundary";
    private static final long STEP_MILLIS = 100;
    private static final int PHASES = 10;
    private static final long TICK_MILLIS = STEP_MILLIS / PHASES;
    private static final int SEND_BUFFER = 32 << 10;

    private final InetSocketAddress server;
    private final byte[] head;
    private final byte[] payload;
    private final byte[] tail;
    private final long bytesPerSecond;
    private final String expectedDigest;
    private final List<Upload> uploads = new ArrayList<>();
    private final TreeMap<String, Integer> outcomes = new TreeMap<>();

    SlowClients(InetSocketAddress server, String path, byte[] payload, long bytesPerSecond, String expectedDigest) {
        this.server = server;
        this.payload = payload;
        this.bytesPerSecond = bytesPerSecond;
        this.expectedDigest = expectedDigest;
        byte[] partHead = partHead();
        this.tail = tail();
        long length = partHead.length + payload.length + tail.length;
        String request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: " + length + "\r\n\r\n";
        byte[] requestHead = request.getBytes(StandardCharsets.US_ASCII);
        this.head = new byte[requestHead.length + partHead.length];
        System.arraycopy(requestHead, 0, head, 0, requestHead.length);
        System.arraycopy(partHead, 0, head, requestHead.length, partHead.length);
    }

    /** The SHA-256 of the whole multipart body each client sends around {@code payload}. */
    static String bodySha256(byte[] payload) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(partHead());
            sha.update(payload);
            sha.update(tail());
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] partHead() {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] tail() {
        return ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Opens {@code count} uploads at {@code perSecond} and drives them until every one has ended or
     * {@code timeoutMillis} passed; {@code onAllOpen} runs (on another thread) once every upload is open.
     */
    void run(int count, int perSecond, long timeoutMillis, Runnable onAllOpen) throws InterruptedException {
        long start = System.nanoTime();
        double perTick = perSecond * TICK_MILLIS / 1000.0;
        boolean announced = false;
        for (long tick = 0; ; tick++) {
            long tickStart = System.nanoTime();
            while (uploads.size() < Math.min(count, (long) Math.ceil((tick + 1) * perTick))) {
                uploads.add(open());
            }
            if (!announced && uploads.size() == count) {
                announced = true;
                new Thread(onAllOpen, "slow-uploads-plateau").start();
            }
            stepPhase((int) (tick % PHASES), tickStart);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (uploads.size() == count && ended() == count) {
                return;
            }
            if (elapsed > timeoutMillis) {
                uploads.stream().filter(u -> u.outcome == null).forEach(u -> u.end("client timeout"));
                return;
            }
            long rest = TICK_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - tickStart);
            if (rest > 0) {
                Thread.sleep(rest);
            }
        }
    }

    private void stepPhase(int phase, long now) {
        for (int i = phase; i < uploads.size(); i += PHASES) {
            Upload upload = uploads.get(i);
            if (upload.outcome == null) {
                upload.step(now);
            }
        }
    }

    /** Uploads open now: connected and not ended. */
    synchronized int inFlight() {
        return (int) uploads.stream().filter(u -> u.outcome == null && u.channel != null).count();
    }

    /** Uploads that have ended, whichever way. */
    private synchronized int ended() {
        return outcomes.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** How the uploads ended, e.g. {@code {200=1000}} or {@code {200=880, reset=120}}. */
    synchronized TreeMap<String, Integer> outcomes() {
        return new TreeMap<>(outcomes);
    }

    private Upload open() {
        Upload upload = new Upload();
        try {
            SocketChannel channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            channel.connect(server);
            upload.channel = channel;
            upload.started = System.nanoTime();
        } catch (IOException e) {
            upload.end("connect failed");
        }
        return upload;
    }

    @Override
    public void close() {
        for (Upload upload : uploads) {
            upload.closeQuietly();
        }
    }

    private final class Upload {
        private SocketChannel channel;
        private long started;
        private long sent;
        private final StringBuilder response = new StringBuilder();
        private final ByteBuffer in = ByteBuffer.allocate(4096);
        private volatile String outcome;

        private long total() {
            return head.length + payload.length + tail.length;
        }

        void step(long now) {
            try {
                if (channel.isConnectionPending() && !channel.finishConnect()) {
                    return;
                }
                readAnswer();
                if (outcome != null) {
                    return;
                }
                long allowed = head.length + (now - started) / 1_000_000 * bytesPerSecond / 1000;
                while (sent < Math.min(allowed, total())) {
                    ByteBuffer next = slice(Math.min(allowed, total()));
                    int written = channel.write(next);
                    sent += written;
                    if (written == 0) {
                        break;
                    }
                }
                readAnswer();
            } catch (IOException e) {
                end(response.length() > 0 ? status() : "reset");
            }
        }

        private ByteBuffer slice(long upTo) {
            if (sent < head.length) {
                return ByteBuffer.wrap(head, (int) sent, (int) (Math.min(upTo, head.length) - sent));
            }
            long inPayload = sent - head.length;
            if (inPayload < payload.length) {
                long end = Math.min(upTo - head.length, payload.length);
                return ByteBuffer.wrap(payload, (int) inPayload, (int) (end - inPayload));
            }
            long inTail = inPayload - payload.length;
            return ByteBuffer.wrap(tail, (int) inTail, (int) (Math.min(upTo - head.length - payload.length, tail.length)
                    - inTail));
        }

        private void readAnswer() throws IOException {
            int n;
            while ((n = channel.read(in.clear())) > 0) {
                response.append(new String(in.array(), 0, n, StandardCharsets.ISO_8859_1));
            }
            if (n < 0) {
                end(status());
            }
        }

        private String status() {
            if (response.length() < 12 || !response.toString().startsWith("HTTP/1.1 ")) {
                return "closed without an answer";
            }
            String code = response.substring(9, 12);
            if (code.equals("200") && !response.toString().contains(expectedDigest)) {
                return "200 with a wrong digest";
            }
            return code;
        }

        void end(String how) {
            outcome = how;
            synchronized (SlowClients.this) {
                outcomes.merge(how, 1, Integer::sum);
            }
            closeQuietly();
        }

        void closeQuietly() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
