package io.spillway.core.multipart;

import java.util.Arrays;

/**
 * The delimiter {@code CRLF "--" boundary} of a multipart body and a Boyer-Moore-Horspool search
 * for it. The search looks at one byte per window and usually jumps the whole delimiter length,
 * so it inspects a small fraction of the content instead of every byte.
 *
 * <p>The boundary is checked against RFC 2046: 1 to 70 {@code bchars}, the last not a space.
 * Since no {@code bchar} is CR or LF, the delimiter cannot overlap itself: a match can never start
 * inside another match, and content that merely ends in a prefix of the delimiter is harmless.
 */
final class Delimiter {

    static final int MAX_BOUNDARY_LENGTH = 70;

    private static final byte[] PREFIX = {'\r', '\n', '-', '-'};
    private static final String BCHARS_OTHER = "'()+_,-./:=? ";

    private final byte[] bytes;
    private final int[] shift = new int[256];

    private Delimiter(byte[] bytes) {
        this.bytes = bytes;
        int length = bytes.length;
        Arrays.fill(shift, length);
        for (int i = 0; i < length - 1; i++) {
            shift[bytes[i] & 0xff] = length - 1 - i;
        }
    }

    /**
     * Builds the delimiter of a boundary as given in the Content-Type (without the leading dashes).
     *
     * @throws MalformedMultipartException when the boundary breaks RFC 2046
     */
    static Delimiter of(byte[] boundary) throws MalformedMultipartException {
        if (boundary == null || boundary.length == 0) {
            throw new MalformedMultipartException("multipart boundary is missing");
        }
        if (boundary.length > MAX_BOUNDARY_LENGTH) {
            throw new MalformedMultipartException(
                    "multipart boundary must be 1 to 70 characters: " + boundary.length);
        }
        for (byte b : boundary) {
            if (!isBoundaryChar(b)) {
                throw new MalformedMultipartException(String.format(
                        "multipart boundary contains a character RFC 2046 does not allow: 0x%02x", b & 0xff));
            }
        }
        if (boundary[boundary.length - 1] == ' ') {
            throw new MalformedMultipartException("multipart boundary must not end with a space");
        }
        byte[] bytes = Arrays.copyOf(PREFIX, PREFIX.length + boundary.length);
        System.arraycopy(boundary, 0, bytes, PREFIX.length, boundary.length);
        return new Delimiter(bytes);
    }

    private static boolean isBoundaryChar(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
                || (b > 0 && BCHARS_OTHER.indexOf(b) >= 0);
    }

    /** Length of {@code CRLF "--" boundary}. */
    int length() {
        return bytes.length;
    }

    /**
     * Finds the first complete delimiter that starts in {@code data[from .. to - length()]}.
     *
     * @return its index, or -1 when no complete delimiter starts there; every start below
     *     {@code to - length() + 1} is then ruled out
     */
    int indexIn(byte[] data, int from, int to) {
        final byte[] d = bytes;
        final int last = d.length - 1;
        final byte lastByte = d[last];
        final int[] skip = shift;
        final int limit = to - d.length;
        int i = from;
        while (i <= limit) {
            byte b = data[i + last];
            if (b == lastByte && Arrays.equals(data, i, i + last, d, 0, last)) {
                return i;
            }
            i += skip[b & 0xff];
        }
        return -1;
    }
}
