package io.spillway.core.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.UploadRejectedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timeout only guards against a stream that spins returning 0 (as it once did). */
@Timeout(60)
class LimitedInputStreamTest {

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    /** Counts what the limited stream really takes from the body. */
    private static final class CountingStream extends ByteArrayInputStream {
        long taken;

        CountingStream(byte[] data) {
            super(data);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            taken += Math.max(0, n);
            return n;
        }

        @Override
        public synchronized int read() {
            int b = super.read();
            taken += b >= 0 ? 1 : 0;
            return b;
        }
    }

    @Test
    void read_exactlyTheLimit_passesEveryByte() throws IOException {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(bytes(1000)), 1000);
        assertArrayEquals(bytes(1000), in.readAllBytes());
    }

    @Test
    void read_oneByteOverTheLimit_throws413() {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(bytes(1001)), 1000);
        UploadRejectedException e = assertThrows(UploadRejectedException.class, in::readAllBytes);
        assertEquals(413, e.status());
        assertEquals("request body exceeds maxRequestSize 1000 B", e.reason());
    }

    @Test
    void read_overTheLimit_takesAtMostOneByteMoreThanTheLimitFromTheBody() {
        CountingStream body = new CountingStream(bytes(1 << 20));
        InputStream in = new LimitedInputStream(body, 1000);
        assertThrows(UploadRejectedException.class, () -> in.read(new byte[1 << 16]));
        assertEquals(1001, body.taken);
    }

    @Test
    void read_afterTheLimitWasExceeded_keepsThrowingInsteadOfReturningZero() {
        CountingStream body = new CountingStream(bytes(1 << 20));
        InputStream in = new LimitedInputStream(body, 1000);
        assertThrows(UploadRejectedException.class, () -> in.read(new byte[1 << 16]));
        assertThrows(UploadRejectedException.class, () -> in.read(new byte[1 << 16]));
        assertThrows(UploadRejectedException.class, in::read);
        assertThrows(UploadRejectedException.class, () -> in.skip(10));
        assertEquals(1001, body.taken);
    }

    @Test
    void readSingleBytes_overTheLimit_throws413() throws IOException {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(bytes(4)), 3);
        assertEquals('x', in.read());
        assertEquals('x', in.read());
        assertEquals('x', in.read());
        assertEquals(413, assertThrows(UploadRejectedException.class, in::read).status());
    }

    @Test
    void readSingleBytes_atTheEnd_returnsMinusOne() throws IOException {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(bytes(1)), 3);
        assertEquals('x', in.read());
        assertEquals(-1, in.read());
    }

    @Test
    void skip_countsTowardsTheLimit() throws IOException {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(bytes(2000)), 1000);
        assertEquals(900, in.skip(900));
        assertThrows(UploadRejectedException.class, () -> in.skip(500));
    }

    @Test
    void read_withTheLargestPossibleLimit_works() throws IOException {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(bytes(100)), Long.MAX_VALUE);
        assertArrayEquals(bytes(100), in.readAllBytes());
    }

    @Test
    void skip_withTheLargestPossibleLimit_works() throws IOException {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(bytes(100)), Long.MAX_VALUE);
        assertEquals(100, in.skip(1000));
    }

    @Test
    void read_zeroLength_readsNothing() throws IOException {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(bytes(10)), 5);
        assertEquals(0, in.read(new byte[4], 0, 0));
    }

    @Test
    void read_emptyBodyWithZeroLimit_isFine() throws IOException {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[0]), 0);
        assertEquals(-1, in.read(new byte[10]));
    }

    @Test
    void markSupported_isFalse() {
        assertFalse(new LimitedInputStream(new ByteArrayInputStream(bytes(1)), 1).markSupported());
        assertTrue(new ByteArrayInputStream(bytes(1)).markSupported());
    }
}
