package io.spillway.servlet.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 client on a raw socket, for bodies no well-behaved client sends: a drip, a stall
 * half-way, a body that never ends. Writes what the test says, reads whatever comes back.
 */
public final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;

    public RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
    }

    /** Sends the head of a multipart POST with a declared length, then the start of one file part. */
    public RawClient startMultipart(String path, String boundary, long contentLength) throws IOException {
        send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=" + boundary
                + "\r\nContent-Length: " + contentLength + "\r\n\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"raw.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n");
        return this;
    }

    /** The bytes before the file content that {@link #startMultipart} sends. */
    public static int multipartPrefixLength(String boundary) {
        return ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"raw.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").length();
    }

    /** The bytes after the file content that close the body. */
    public static String multipartSuffix(String boundary) {
        return "\r\n--" + boundary + "--\r\n";
    }

    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Reads until the server closes the connection or {@code timeoutMillis} pass without a byte;
     * returns what came (empty when the connection was reset or nothing came).
     */
    public String readResponse(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                response.write(buffer, 0, n);
                if (complete(response.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException endedOrReset) {
            // return what arrived
        }
        return response.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean complete(String response) {
        int head = response.indexOf("\r\n\r\n");
        if (head < 0) {
            return false;
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                .matcher(response.substring(0, head));
        return length.find() && response.length() - head - 4 >= Integer.parseInt(length.group(1));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
