package io.spillway.s3;

import io.spillway.core.UploadRejectedException;
import io.spillway.s3.Envelope.Piece;
import io.spillway.s3.Envelope.Segment;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bytes of several piece ranges read one after another, each with a ranged {@code GET} opened
 * only when it is reached, so that a part of any size is streamed through a small buffer. Failures
 * of the store surface as {@link UploadRejectedException} 503.
 */
final class SegmentStream extends InputStream {

    private final S3Client s3;
    private final String bucket;
    private final List<Segment> segments;
    private final Function<Piece, String> keys;
    private int next;
    private InputStream current;
    private long currentLeft;

    SegmentStream(S3Client s3, String bucket, List<Segment> segments, Function<Piece, String> keys) {
        this.s3 = s3;
        this.bucket = bucket;
        this.segments = segments;
        this.keys = keys;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (current == null || currentLeft == 0) {
            closeCurrent();
            if (next == segments.size()) {
                return -1;
            }
            open(segments.get(next++));
        }
        int n;
        try {
            n = current.read(buffer, offset, (int) Math.min(length, currentLeft));
        } catch (SdkException | IOException e) {
            throw new UploadRejectedException(503, "object store unavailable while reading stored bytes", e);
        }
        if (n < 0) {
            throw new UploadRejectedException(503, "object store unavailable while reading stored bytes",
                    new EOFException("piece ended " + currentLeft + " bytes early"));
        }
        currentLeft -= n;
        return n;
    }

    @Override
    public void close() throws IOException {
        closeCurrent();
        next = segments.size();
    }

    private void open(Segment segment) throws IOException {
        String range = "bytes=" + segment.offset() + "-" + (segment.offset() + segment.length() - 1);
        current = S3Errors.call("reading stored bytes", () -> s3.getObject(b -> b.bucket(bucket)
                .key(keys.apply(segment.piece())).range(range)));
        currentLeft = segment.length();
    }

    private void closeCurrent() {
        if (current != null) {
            try {
                if (currentLeft > 0 && current instanceof software.amazon.awssdk.core.ResponseInputStream<?> response) {
                    response.abort();
                }
                current.close();
            } catch (IOException | RuntimeException ignored) {
                // the connection is dropped; nothing was lost
            }
            current = null;
        }
    }

    /** A fresh stream over the same segments for every attempt the SDK makes. */
    static final class Provider implements ContentStreamProvider {
        private final Supplier<SegmentStream> streams;
        private SegmentStream last;

        Provider(Supplier<SegmentStream> streams) {
            this.streams = streams;
        }

        @Override
        public InputStream newStream() {
            if (last != null) {
                last.closeCurrent();
            }
            last = streams.get();
            return last;
        }
    }
}
