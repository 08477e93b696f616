package io.spillway.servlet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A deterministic stream of pseudo-random bytes from a seed, optionally digested (SHA-256) as it
 * is read: big payloads without files on disk, with a digest to compare on the other side.
 */
public final class GeneratedStream extends InputStream {

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private final SplittableRandom random;
    private final long length;
    private final MessageDigest digest;
    private long position;
    private long word;
    private int wordLeft;

    public GeneratedStream(long seed, long length) {
        this.random = new SplittableRandom(seed);
        this.length = length;
        this.digest = sha256();
    }

    /** The SHA-256 of the first {@code length} bytes of the stream for {@code seed}. */
    public static String sha256Of(long seed, long length) {
        GeneratedStream stream = new GeneratedStream(seed, length);
        byte[] buffer = new byte[1 << 16];
        while (stream.read(buffer, 0, buffer.length) > 0) {
            // digesting while reading
        }
        return stream.hex();
    }

    /**
     * The hex SHA-256 of all that {@code in} gives, read to its end; for the servlets and checks
     * that digest what arrived, so that they compare with {@link #sha256Of(long, long)}.
     */
    public static String sha256Of(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
            sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The bytes for {@code seed} as an array (small payloads only). */
    public static byte[] bytes(long seed, int length) {
        byte[] out = new byte[length];
        new GeneratedStream(seed, length).read(out, 0, length);
        return out;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - position);
        int i = 0;
        while (i < n && wordLeft > 0) {
            b[off + i++] = (byte) word;
            word >>>= 8;
            wordLeft--;
        }
        while (n - i >= 8) {
            long w = random.nextLong();
            LONGS.set(b, off + i, w);
            i += 8;
        }
        while (i < n) {
            if (wordLeft == 0) {
                word = random.nextLong();
                wordLeft = 8;
            }
            b[off + i++] = (byte) word;
            word >>>= 8;
            wordLeft--;
        }
        digest.update(b, off, n);
        position += n;
        return n;
    }

    /** The hex SHA-256 of the bytes read so far (call once, after the end). */
    public String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
