package io.spillway.core.resumable;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.storage.ResumableStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A chunk may resend bytes the upload already has, but only the same bytes: where the staged
 * chunk overlaps what was received, both are compared byte for byte before anything is written.
 */
final class OverlapCheck {

    private static final int COMPARE_BUFFER = 64 * 1024;

    private OverlapCheck() {
    }

    /** @throws UploadRejectedException 409 naming the first overlap whose bytes differ */
    static void verify(ResumableStore store, String id, ByteRanges received, ByteRange span, StagedBody staged)
            throws IOException {
        for (ByteRange overlap : received.overlaps(span)) {
            try (InputStream stored = store.read(id, overlap.start(), overlap.length());
                 InputStream sent = staged.open(overlap.start() - span.start(), overlap.length())) {
                if (!sameBytes(stored, sent, overlap.length())) {
                    throw new UploadRejectedException(409, "bytes " + overlap.start() + "-" + (overlap.end() - 1)
                            + " differ from the bytes already received");
                }
            }
        }
    }

    private static boolean sameBytes(InputStream a, InputStream b, long length) throws IOException {
        byte[] left = new byte[COMPARE_BUFFER];
        byte[] right = new byte[COMPARE_BUFFER];
        long remaining = length;
        while (remaining > 0) {
            int n = (int) Math.min(COMPARE_BUFFER, remaining);
            if (a.readNBytes(left, 0, n) != n || b.readNBytes(right, 0, n) != n
                    || !Arrays.equals(left, 0, n, right, 0, n)) {
                return false;
            }
            remaining -= n;
        }
        return true;
    }
}
