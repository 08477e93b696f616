package io.spillway.servlet;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few read buffers that the non-blocking intake's callbacks borrow and give back. A callback
 * holds one only while it runs, so an upload waiting for its next packet holds none; but a new
 * buffer for every callback made most of the garbage of a thousand slow uploads (one 16 KiB array
 * per packet, about 80% of what the server allocated), and with it the young collections that a
 * request to the webapp waits for. The slots are few and fixed: when every one is out (more
 * callbacks at once than slots), a callback gets a fresh buffer, and a buffer given back to full
 * slots is left to the collector, so that a burst never grows what is kept.
 */
final class ReadBuffers {

    private final int size;
    private final AtomicReferenceArray<byte[]> slots;

    /**
     * @param size  bytes in one buffer
     * @param slots how many buffers are kept between callbacks
     */
    ReadBuffers(int size, int slots) {
        this.size = size;
        this.slots = new AtomicReferenceArray<>(slots);
    }

    /** A buffer of {@code size} bytes, kept or new, for the caller alone until it is given back. */
    byte[] borrow() {
        for (int i = 0; i < slots.length(); i++) {
            byte[] kept = slots.get(i) != null ? slots.getAndSet(i, null) : null;
            if (kept != null) {
                return kept;
            }
        }
        return new byte[size];
    }

    /** Gives back a buffer from {@link #borrow()}; the caller must not touch it afterwards. */
    void giveBack(byte[] buffer) {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.compareAndSet(i, null, buffer)) {
                return;
            }
        }
    }
}
