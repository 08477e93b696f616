package io.spillway.servlet;

import io.spillway.core.activity.ActiveUpload;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** The request with its body read through an {@link ActiveUpload}: counted, rate-guarded, abortable. */
final class MeteredRequest extends HttpServletRequestWrapper {

    private final ActiveUpload upload;
    private ServletInputStream body;

    MeteredRequest(HttpServletRequest request, ActiveUpload upload) {
        super(request);
        this.upload = upload;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (body == null) {
            ServletInputStream raw = super.getInputStream();
            body = new Metered(raw, upload.meter(raw));
        }
        return body;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        String encoding = getCharacterEncoding();
        Charset charset;
        try {
            charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
        } catch (IllegalArgumentException e) {
            throw new java.io.UnsupportedEncodingException(encoding);
        }
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    /** The container's stream for the non-blocking calls, the metered one for every read. */
    private static final class Metered extends ServletInputStream {
        private final ServletInputStream raw;
        private final InputStream metered;

        Metered(ServletInputStream raw, InputStream metered) {
            this.raw = raw;
            this.metered = metered;
        }

        @Override
        public int read() throws IOException {
            return metered.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return metered.read(buffer, offset, length);
        }

        @Override
        public long skip(long n) throws IOException {
            return metered.skip(n);
        }

        @Override
        public int available() throws IOException {
            return raw.available();
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }

        @Override
        public boolean isFinished() {
            return raw.isFinished();
        }

        @Override
        public boolean isReady() {
            return raw.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            raw.setReadListener(listener);
        }
    }
}
