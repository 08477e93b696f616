package io.spillway.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A request whose body is what a non-blocking intake spooled: a resumable protocol handles it as
 * if it were reading the connection. When the connection failed before the body's end, the stream
 * fails with that failure after the spooled bytes, so the protocol keeps what arrived, as it does
 * when a blocking read fails.
 */
final class SpooledRequest extends HttpServletRequestWrapper {

    private final ServletInputStream body;

    /**
     * @param failure the failure the body ended with, or null when it arrived whole
     */
    SpooledRequest(HttpServletRequest request, InputStream spooled, IOException failure) {
        super(request);
        this.body = new Body(spooled, failure);
    }

    @Override
    public ServletInputStream getInputStream() {
        return body;
    }

    @Override
    public BufferedReader getReader() {
        return new BufferedReader(new InputStreamReader(body, StandardCharsets.ISO_8859_1));
    }

    private static final class Body extends ServletInputStream {
        private final InputStream spooled;
        private final IOException failure;
        private boolean finished;

        Body(InputStream spooled, IOException failure) {
            this.spooled = spooled;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = spooled.read(buffer, offset, length);
            if (n < 0) {
                finished = true;
                if (failure != null) {
                    throw new IOException("the connection failed after the spooled bytes", failure);
                }
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            spooled.close();
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new IllegalStateException("the spooled body is read with blocking reads");
        }
    }
}
