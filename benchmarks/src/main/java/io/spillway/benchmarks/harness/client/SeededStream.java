package io.spillway.benchmarks.harness.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * An endless, reproducible stream of pseudo-random bytes (SplitMix64, little-endian).
 *
 * <p>Benchmark payloads are generated from a seed while they are sent, so gigabytes of test data
 * never touch the disk and every byte the server receives can be checked against a digest.
 * SplitMix64 fills memory at several GB/s, well above what any server here can take in.
 */
public final class SeededStream {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;
    private long pending;
    private int pendingBytes;

    /** Starts the stream of the given seed; two streams of the same seed produce the same bytes. */
    public SeededStream(long seed) {
        this.state = seed;
    }

    /** Fills {@code length} bytes of {@code target} from {@code offset} with the next bytes of the stream. */
    public void fill(byte[] target, int offset, int length) {
        int pos = offset;
        int end = offset + length;
        while (pos < end && pendingBytes > 0) {
            target[pos++] = takePendingByte();
        }
        while (end - pos >= Long.BYTES) {
            LONGS.set(target, pos, nextLong());
            pos += Long.BYTES;
        }
        if (pos < end) {
            pending = nextLong();
            pendingBytes = Long.BYTES;
            while (pos < end) {
                target[pos++] = takePendingByte();
            }
        }
    }

    /** Mixes a number into a well-spread 64-bit value; used to derive boundaries and seeds. */
    public static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private byte takePendingByte() {
        byte b = (byte) pending;
        pending >>>= 8;
        pendingBytes--;
        return b;
    }

    private long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }
}
