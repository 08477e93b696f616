package io.spillway.sample.browser;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** A file of pseudo-random bytes from a seed, written once for a test, with its SHA-256. */
record SeededFile(Path path, long size, String sha256) {

    static SeededFile create(Path path, long size, long seed) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buffer = new byte[1 << 20];
        Files.createDirectories(path.getParent());
        try (OutputStream out = Files.newOutputStream(path)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(buffer.length, left);
                for (int i = 0; i < n; i += 8) {
                    long value = random.nextLong();
                    for (int j = 0; j < 8 && i + j < n; j++) {
                        buffer[i + j] = (byte) (value >>> (8 * j));
                    }
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
                left -= n;
            }
        }
        return new SeededFile(path, size, HexFormat.of().formatHex(digest.digest()));
    }

    String name() {
        return path.getFileName().toString();
    }
}
