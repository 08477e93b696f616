package io.spillway.core.activity;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read through an {@link ActiveUpload}: every read is counted, and once the upload
 * was aborted every read (including one that was blocked and failed because of the abort) throws
 * the abort's {@link io.spillway.core.UploadRejectedException}.
 */
final class MeteredInputStream extends FilterInputStream {

    private final ActiveUpload upload;

    MeteredInputStream(InputStream in, ActiveUpload upload) {
        super(in);
        this.upload = upload;
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (IOException e) {
            upload.afterFailedRead(e);
            throw e;
        }
        upload.afterRead(b < 0 ? 0 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        try {
            n = in.read(buffer, offset, length);
        } catch (IOException e) {
            upload.afterFailedRead(e);
            throw e;
        }
        upload.afterRead(Math.max(n, 0));
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped;
        try {
            skipped = in.skip(n);
        } catch (IOException e) {
            upload.afterFailedRead(e);
            throw e;
        }
        upload.afterRead(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
