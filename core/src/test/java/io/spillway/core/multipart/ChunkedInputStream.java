package io.spillway.core.multipart;

import java.io.InputStream;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Serves a byte array in reads no longer than the sizes a supplier picks, like a network that
 * splits a body anywhere; counts what it delivered.
 */
final class ChunkedInputStream extends InputStream {

    private final byte[] data;
    private final IntSupplier chunkSizes;
    private int position;

    ChunkedInputStream(byte[] data, IntSupplier chunkSizes) {
        this.data = data;
        this.chunkSizes = chunkSizes;
    }

    /** One byte per read. */
    static ChunkedInputStream oneByteReads(byte[] data) {
        return new ChunkedInputStream(data, () -> 1);
    }

    /** Bytes handed out so far. */
    int delivered() {
        return position;
    }

    @Override
    public int read() {
        return position < data.length ? data[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (position == data.length) {
            return -1;
        }
        int n = Math.min(Math.min(len, data.length - position), Math.max(1, chunkSizes.getAsInt()));
        System.arraycopy(data, position, b, off, n);
        position += n;
        return n;
    }
}
