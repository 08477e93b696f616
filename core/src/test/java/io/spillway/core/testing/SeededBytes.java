package io.spillway.core.testing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Test payloads made from a seeded PRNG (never files in the repository), and their digests. */
public final class SeededBytes {

    private SeededBytes() {
    }

    /** {@code length} bytes that depend only on {@code seed}. */
    public static byte[] of(long seed, int length) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** The hex SHA-256 of the bytes. */
    public static String sha256(byte[]... chunks) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] chunk : chunks) {
                digest.update(chunk);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
