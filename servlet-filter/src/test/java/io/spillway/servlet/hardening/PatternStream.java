package io.spillway.servlet.hardening;

import io.spillway.servlet.testing.GeneratedStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

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
        MessageDigest digest = GeneratedStream.sha256();
        byte[] buffer = new byte[1 << 16];
        PatternStream stream = new PatternStream(pattern, length);
        int n;
        while ((n = stream.read(buffer, 0, buffer.length)) > 0) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
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
