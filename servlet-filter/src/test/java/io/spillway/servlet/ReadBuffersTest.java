package io.spillway.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadBuffersTest {

    @Test
    void aBufferGivenBack_isLentAgain_insteadOfANewOne() {
        ReadBuffers buffers = new ReadBuffers(16, 2);
        byte[] first = buffers.borrow();
        buffers.giveBack(first);

        assertSame(first, buffers.borrow());
        assertEquals(16, first.length);
    }

    @Test
    void buffersOutAtOnce_areNeverShared_evenPastTheSlots() {
        ReadBuffers buffers = new ReadBuffers(16, 2);
        buffers.giveBack(new byte[16]);
        buffers.giveBack(new byte[16]);
        Set<byte[]> lent = Collections.newSetFromMap(new IdentityHashMap<>());

        for (int i = 0; i < 5; i++) {
            byte[] buffer = buffers.borrow();
            assertEquals(16, buffer.length);
            lent.add(buffer);
        }

        assertEquals(5, lent.size());
    }

    @Test
    void moreGivenBackThanSlots_keepsOnlyAsManyAsSlots() {
        ReadBuffers buffers = new ReadBuffers(16, 2);
        byte[] a = new byte[16];
        byte[] b = new byte[16];
        byte[] c = new byte[16];
        buffers.giveBack(a);
        buffers.giveBack(b);
        buffers.giveBack(c);
        Set<byte[]> lent = Collections.newSetFromMap(new IdentityHashMap<>());

        lent.add(buffers.borrow());
        lent.add(buffers.borrow());
        byte[] third = buffers.borrow();

        assertEquals(Set.of(a, b), Set.copyOf(lent));
        assertNotSame(c, third);
    }
}
