package io.spillway.servlet.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * HTTP/1.1 over a plain socket to 127.0.0.1, for what real clients refuse to send: malformed
 * framing, lying lengths, 1-byte and slow writes, and aborts with FIN ({@link #finish()}) or RST
 * ({@link #reset()}), in the manner of Tomcat's own {@code SimpleHttpClient}.
 *
 * <p>Two ways to use it:
 * <ul>
 *   <li>{@link #request(String, String)} builds a whole request and {@link Request#send(int)}
 *       writes it on a writer thread while the calling thread reads the response. A server that
 *       answers early (413 before the body is read) and closes the connection is therefore seen
 *       answering, not as a broken pipe, and the client never stalls on a full send buffer.</li>
 *   <li>{@link #connect(int)} gives the socket to the test, which writes pieces and then reads
 *       the response, finishes (FIN) or resets (RST) the connection.</li>
 * </ul>
 */
public final class RawHttpClient implements Closeable {

    /** How long a read waits for the server before the test fails instead of hanging. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final AtomicLong written = new AtomicLong();

    private RawHttpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Opens a connection to {@code 127.0.0.1:port} with TCP_NODELAY and a read timeout. */
    public static RawHttpClient connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        return new RawHttpClient(socket);
    }

    /** Starts building a request. */
    public static Request request(String method, String path) {
        return new Request(method, path);
    }

    /** Writes bytes as they are. */
    public RawHttpClient write(byte[] bytes) throws IOException {
        return write(bytes, 0, bytes.length);
    }

    /** Writes a slice of bytes as it is. */
    public RawHttpClient write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        out.flush();
        written.addAndGet(length);
        return this;
    }

    /** Writes text as ISO-8859-1 (request heads are bytes, not characters). */
    public RawHttpClient write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes a stream to its end in pieces of {@code piece} bytes, pausing between pieces. */
    public RawHttpClient write(InputStream body, int piece, Duration pause) throws IOException {
        byte[] buffer = new byte[piece];
        int n;
        while ((n = body.readNBytes(buffer, 0, piece)) > 0) {
            write(buffer, 0, n);
            sleep(pause);
        }
        return this;
    }

    /** Writes one chunk of chunked transfer encoding (an empty array is not allowed here). */
    public RawHttpClient writeChunk(byte[] data, int offset, int length) throws IOException {
        write(Integer.toHexString(length) + "\r\n");
        write(data, offset, length);
        return write("\r\n");
    }

    /** Writes the last chunk of chunked transfer encoding. */
    public RawHttpClient endChunks() throws IOException {
        return write("0\r\n\r\n");
    }

    /** Bytes written so far, head included. */
    public long bytesWritten() {
        return written.get();
    }

    /** Half-closes: sends FIN, keeps reading possible (a client that stopped sending). */
    public void finish() throws IOException {
        socket.shutdownOutput();
    }

    /** Aborts with RST: {@code SO_LINGER} 0 and close, as a crashed client or a proxy would. */
    public void reset() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one response, waiting at most {@link #READ_TIMEOUT}. */
    public Response readResponse() throws IOException {
        return Response.read(in);
    }

    /**
     * Reads until the server closes the connection, discarding what arrives.
     *
     * @return true when the server closed (FIN or RST) within {@code timeout}
     */
    public boolean awaitClose(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        byte[] sink = new byte[8192];
        try {
            while (in.read(sink) >= 0) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        }
    }

    @Override
    public void close() {
        closeSocket();
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that is already gone
        }
    }

    private static void sleep(Duration pause) {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How the body goes on the wire. */
    public enum Framing {
        /** {@code Content-Length} set to the body's length (or {@link Request#declaredLength}). */
        CONTENT_LENGTH,
        /** {@code Transfer-Encoding: chunked}. */
        CHUNKED,
        /** Neither header: only what {@link Request#header} adds. */
        NONE
    }

    /** A request written by a writer thread while the response is read. */
    public static final class Request {
        private final String method;
        private final String path;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private Supplier<InputStream> body = () -> InputStream.nullInputStream();
        private long bodyLength;
        private long declaredLength = -1;
        private Framing framing = Framing.CONTENT_LENGTH;
        private int piece = 64 * 1024;
        private Duration pause = Duration.ZERO;
        private boolean closeAfterResponse = true;

        private Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** Adds a header line as given (no validation: malformed values are the point). */
        public Request header(String name, String value) {
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        public Request body(byte[] bytes) {
            byte[] copy = bytes.clone();
            this.body = () -> new java.io.ByteArrayInputStream(copy);
            this.bodyLength = copy.length;
            return this;
        }

        public Request body(MultipartBody multipart) {
            header("Content-Type", multipart.contentType());
            this.body = multipart::stream;
            this.bodyLength = multipart.length();
            return this;
        }

        public Request body(Supplier<InputStream> stream, long length) {
            this.body = stream;
            this.bodyLength = length;
            return this;
        }

        /** Declares a Content-Length other than the body's real length (a lie). */
        public Request declaredLength(long length) {
            this.declaredLength = length;
            return this;
        }

        public Request framing(Framing framing) {
            this.framing = framing;
            return this;
        }

        /** Writes the body {@code piece} bytes at a time (1 for byte-by-byte), pausing in between. */
        public Request pieces(int piece, Duration pause) {
            this.piece = piece;
            this.pause = pause;
            return this;
        }

        /** Keeps the connection open after the response (the default closes it). */
        public Request keepOpen() {
            this.closeAfterResponse = false;
            return this;
        }

        /** The request head, ending with the blank line. */
        public byte[] head() {
            StringBuilder text = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            text.append("Host: 127.0.0.1\r\n");
            if (framing == Framing.CONTENT_LENGTH) {
                text.append("Content-Length: ").append(declaredLength >= 0 ? declaredLength : bodyLength).append("\r\n");
            } else if (framing == Framing.CHUNKED) {
                text.append("Transfer-Encoding: chunked\r\n");
            }
            if (closeAfterResponse) {
                text.append("Connection: close\r\n");
            }
            headers.forEach((name, values) -> values.forEach(v -> text.append(name).append(": ").append(v).append("\r\n")));
            text.append("\r\n");
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }

        /**
         * Sends the request and reads the response; the body keeps being written until it ends or
         * the response is complete, whichever comes first.
         */
        public Response send(int port) throws IOException {
            try (RawHttpClient client = connect(port)) {
                AtomicReference<IOException> writeError = new AtomicReference<>();
                Thread writer = new Thread(() -> {
                    try {
                        client.write(head());
                        writeBody(client);
                    } catch (IOException e) {
                        writeError.set(e);
                    }
                }, "raw-http-writer");
                writer.setDaemon(true);
                writer.start();
                Response response;
                try {
                    response = client.readResponse();
                } catch (IOException e) {
                    IOException failure = new IOException("no response after " + client.bytesWritten()
                            + " bytes written (writer: " + writeError.get() + "): " + e, e);
                    throw failure;
                }
                client.closeSocket();
                try {
                    writer.join(READ_TIMEOUT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return response.withBytesSent(client.bytesWritten(), writeError.get() == null);
            }
        }

        private void writeBody(RawHttpClient client) throws IOException {
            try (InputStream in = body.get()) {
                if (framing != Framing.CHUNKED) {
                    client.write(in, piece, pause);
                    return;
                }
                byte[] buffer = new byte[piece];
                int n;
                while ((n = in.readNBytes(buffer, 0, piece)) > 0) {
                    client.writeChunk(buffer, 0, n);
                    sleep(pause);
                }
                client.endChunks();
            }
        }
    }

    /**
     * A parsed response: status, headers (names lower case) and body (by Content-Length, chunked,
     * or up to the close).
     */
    public static final class Response {
        private final int status;
        private final Map<String, List<String>> headers;
        private final byte[] body;
        private final long bytesSent;
        private final boolean bodyComplete;

        private Response(int status, Map<String, List<String>> headers, byte[] body, long bytesSent,
                         boolean bodyComplete) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.bytesSent = bytesSent;
            this.bodyComplete = bodyComplete;
        }

        static Response read(InputStream in) throws IOException {
            String statusLine = readLine(in);
            if (statusLine == null) {
                throw new EOFException("connection closed before a status line");
            }
            String[] words = statusLine.split(" ", 3);
            if (words.length < 2 || !words[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP status line: " + statusLine);
            }
            int status = Integer.parseInt(words[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            byte[] body;
            String length = first(headers, "content-length");
            if (status == 204 || status == 304 || status / 100 == 1) {
                body = new byte[0];
            } else if (length != null) {
                body = in.readNBytes(Integer.parseInt(length));
            } else if ("chunked".equalsIgnoreCase(first(headers, "transfer-encoding"))) {
                body = readChunked(in);
            } else {
                body = readToClose(in);
            }
            return new Response(status, headers, body, -1, false);
        }

        Response withBytesSent(long sent, boolean complete) {
            return new Response(status, headers, body, sent, complete);
        }

        public int status() {
            return status;
        }

        /** The first value of a header (name case-insensitive), or null. */
        public String header(String name) {
            return first(headers, name.toLowerCase(Locale.ROOT));
        }

        public byte[] body() {
            return body.clone();
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** Bytes the client had written when the response was complete (head included). */
        public long bytesSent() {
            return bytesSent;
        }

        /** Whether the writer sent the whole request before the connection ended. */
        public boolean requestComplete() {
            return bodyComplete;
        }

        @Override
        public String toString() {
            return status + " " + text().strip();
        }

        private static String first(Map<String, List<String>> headers, String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        private static byte[] readChunked(InputStream in) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                if (sizeLine == null) {
                    throw new EOFException("chunked response ended early");
                }
                int semicolon = sizeLine.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    while ((sizeLine = readLine(in)) != null && !sizeLine.isEmpty()) {
                        // trailers
                    }
                    return out.toByteArray();
                }
                out.write(in.readNBytes(size));
                readLine(in);
            }
        }

        private static byte[] readToClose(InputStream in) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException resetAfterBody) {
                // the body so far is what the server sent before closing
            }
            return out.toByteArray();
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
