package io.spillway.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BoundedInputStreamTest {

    private static final byte[] TEN = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void readsUpToTheBound_thenReportsTheEnd_andLeavesTheRestUnread() throws IOException {
        ByteArrayInputStream source = new ByteArrayInputStream(TEN);
        InputStream in = new BoundedInputStream(source, 4);
        assertArrayEquals(Arrays.copyOf(TEN, 4), in.readAllBytes());
        assertEquals(-1, in.read());
        assertEquals(-1, in.read(new byte[8], 0, 8));
        assertEquals(6, source.available(), "nothing read past the bound");
    }

    @Test
    void singleByteReads_andSkip_countAgainstTheBound() throws IOException {
        InputStream in = new BoundedInputStream(new ByteArrayInputStream(TEN), 5);
        assertEquals(0, in.read());
        assertEquals(3, in.skip(3));
        assertEquals(4, in.read());
        assertEquals(-1, in.read());
        assertEquals(0, in.skip(10));
    }

    @Test
    void aSourceShorterThanTheBound_endsWithTheSource() throws IOException {
        InputStream in = new BoundedInputStream(new ByteArrayInputStream(TEN), 100);
        assertArrayEquals(TEN, in.readAllBytes());
    }

    @Test
    void close_closesTheSource() throws IOException {
        boolean[] closed = {false};
        InputStream source = new ByteArrayInputStream(TEN) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        new BoundedInputStream(source, 3).close();
        assertTrue(closed[0]);
    }
}
