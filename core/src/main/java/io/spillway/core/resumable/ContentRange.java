package io.spillway.core.resumable;

import io.spillway.core.UploadRejectedException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code Content-Range} request header: {@code bytes first-last/total} (RFC 9110,
 * {@code last} inclusive) or the status query {@code bytes *}{@code /total}.
 *
 * <p>Only the exact grammar is accepted: the unit {@code bytes} (any case) and one space, decimal
 * numbers of at most 18 digits (so no value overflows a {@code long}), {@code first <= last} and a
 * known total of at least one byte. Everything else ({@code bytes=0-7/13}, {@code bytes -7/13},
 * {@code bytes 0-5/}, {@code bytes 0-7/*}) is a 400.
 *
 * <p>Many hand-written clients send the exclusive end {@code first + length}. Such a header is
 * ambiguous on its own, so it is resolved against the body length in {@link #span(long)}: a body
 * of {@code last - first + 1} bytes reads the RFC way, a body of {@code last - first} bytes reads
 * the exclusive way, any other length is a 400.
 *
 * @param first the first byte offset, or -1 for a status query
 * @param last  the last byte offset as sent, or -1 for a status query
 * @param total the complete length of the file
 */
public record ContentRange(long first, long last, long total) {

    private static final Pattern RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18})",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern QUERY = Pattern.compile("bytes \\*/(\\d{1,18})", Pattern.CASE_INSENSITIVE);
    private static final int MAX_ECHO = 60;

    /**
     * Parses a header value.
     *
     * @throws UploadRejectedException 400 for anything that is not a valid range
     */
    public static ContentRange parse(String header) throws UploadRejectedException {
        if (header == null) {
            throw UploadRejectedException.badRequest("Content-Range is missing");
        }
        String value = header.strip();
        Matcher query = QUERY.matcher(value);
        if (query.matches()) {
            long total = Long.parseLong(query.group(1));
            return new ContentRange(-1, -1, total);
        }
        Matcher range = RANGE.matcher(value);
        if (!range.matches()) {
            throw UploadRejectedException.badRequest("malformed Content-Range, expected 'bytes first-last/total': "
                    + echo(value));
        }
        long first = Long.parseLong(range.group(1));
        long last = Long.parseLong(range.group(2));
        long total = Long.parseLong(range.group(3));
        if (last < first) {
            throw UploadRejectedException.badRequest("Content-Range ends before it starts: " + echo(value));
        }
        if (total == 0 || last > total) {
            throw UploadRejectedException.badRequest("Content-Range lies beyond the total length: " + echo(value));
        }
        return new ContentRange(first, last, total);
    }

    /** Whether this is a status query ({@code bytes *}{@code /total}): it carries no bytes. */
    public boolean isQuery() {
        return first < 0;
    }

    /** The body length the RFC reading expects ({@code last - first + 1}). */
    public long inclusiveLength() {
        return last - first + 1;
    }

    /** Whether a body of this length fits the range in one of the two readings. */
    public boolean accepts(long bodyLength) {
        return bodyLength == inclusiveLength() && last < total
                || bodyLength == last - first && last > first;
    }

    /**
     * The bytes a body of the given length covers.
     *
     * @return {@code [first, first + bodyLength)}
     * @throws UploadRejectedException 400 when the length fits neither reading
     */
    public ByteRange span(long bodyLength) throws UploadRejectedException {
        if (!accepts(bodyLength)) {
            throw UploadRejectedException.badRequest("body length " + bodyLength + " does not match Content-Range "
                    + this);
        }
        return new ByteRange(first, first + bodyLength);
    }

    @Override
    public String toString() {
        return isQuery() ? "bytes */" + total : "bytes " + first + "-" + last + "/" + total;
    }

    private static String echo(String value) {
        String shown = value.length() > MAX_ECHO ? value.substring(0, MAX_ECHO) + "..." : value;
        StringBuilder out = new StringBuilder();
        for (char c : shown.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return "'" + out + "'";
    }
}
