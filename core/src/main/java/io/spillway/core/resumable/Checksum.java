package io.spillway.core.resumable;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A checksum a client declared for a chunk (tus {@code Upload-Checksum}).
 *
 * @param algorithm a JCA digest name, such as {@code SHA-1}
 * @param expected  the digest the chunk must have
 */
public record Checksum(String algorithm, byte[] expected) {

    public Checksum {
        Objects.requireNonNull(expected, "expected");
        try {
            MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest algorithm: " + algorithm, e);
        }
        expected = expected.clone();
    }

    /** Whether a computed digest equals the expected one (constant time). */
    public boolean matches(byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }
}
