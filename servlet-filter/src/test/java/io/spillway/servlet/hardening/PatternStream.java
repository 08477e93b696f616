package io.spillway.servlet.hardening;

import io.spillway.servlet.testing.GeneratedStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A stream repeating a byte pattern up to a length: pathological contents without arrays. */
final class PatternStream extends InputStream {

    private final byte[] pattern;
    private final long length;
    private long position;

    PatternStream(byte[] pattern, long length) {
        this.pattern = pattern.clone();
        this.length = length;
    }

    /** The hex SHA-256 of the first {@code length} bytes of the repeated pattern. */
    static String sha256(byte[] pattern, long length) {
        try {
            return GeneratedStream.sha256Of(new PatternStream(pattern, length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int read() {
        return position < length ? pattern[(int) (position++ % pattern.length)] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - position);
        for (int i = 0; i < n; i++) {
            b[off + i] = pattern[(int) ((position + i) % pattern.length)];
        }
        position += n;
        return n;
    }
}
