package io.spillway.benchmarks.harness.client;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes the body of an {@link UploadPayload} to the JDK {@code HttpClient}, generating it in
 * 64 KiB buffers on demand and digesting it (SHA-256) while it is sent.
 *
 * <p>A publisher serves one request. The digest is available once the body has been fully
 * published; a server that answers before reading everything leaves it unset.
 */
public final class MultipartBodyPublisher implements Flow.Publisher<ByteBuffer> {

    static final int CHUNK = 64 * 1024;

    private final UploadPayload payload;
    private volatile String digestHex;

    /** Creates the publisher of one request's body. */
    public MultipartBodyPublisher(UploadPayload payload) {
        this.payload = payload;
    }

    /** The SHA-256 of what the server is expected to digest, or null when the body was not fully sent. */
    public String digestHex() {
        return digestHex;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        digestHex = null;
        subscriber.onSubscribe(new BodySubscription(subscriber));
    }

    private final class BodySubscription implements Flow.Subscription {

        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger drains = new AtomicInteger();
        private final SeededStream content = new SeededStream(payload.seed());
        private final MessageDigest digest = sha256();
        private final byte[] head = payload.head();
        private final byte[] tail = payload.tail();
        private final long total = payload.bodyLength();
        private long position;
        private volatile boolean cancelled;
        private boolean completed;

        BodySubscription(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancelled = true;
                subscriber.onError(new IllegalArgumentException("demand must be positive: " + n));
                return;
            }
            demand.getAndAccumulate(n, (current, added) -> current + added < 0 ? Long.MAX_VALUE : current + added);
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        private void drain() {
            if (drains.getAndIncrement() != 0) {
                return;
            }
            do {
                while (!cancelled && position < total && demand.get() > 0) {
                    demand.decrementAndGet();
                    subscriber.onNext(nextBuffer());
                }
                if (!cancelled && position == total && !completed) {
                    completed = true;
                    digestHex = HexFormat.of().formatHex(digest.digest());
                    subscriber.onComplete();
                }
            } while (drains.decrementAndGet() != 0);
        }

        private ByteBuffer nextBuffer() {
            int size = (int) Math.min(CHUNK, total - position);
            byte[] chunk = new byte[size];
            int filled = 0;
            while (filled < size) {
                filled += copySection(chunk, filled, size - filled);
            }
            return ByteBuffer.wrap(chunk);
        }

        /** Copies from the section (head, content or tail) that {@code position} is in. */
        private int copySection(byte[] chunk, int offset, int room) {
            long contentEnd = head.length + payload.contentLength();
            int n;
            if (position < head.length) {
                n = (int) Math.min(room, head.length - position);
                System.arraycopy(head, (int) position, chunk, offset, n);
                if (payload.digestWholeBody()) {
                    digest.update(chunk, offset, n);
                }
            } else if (position < contentEnd) {
                n = (int) Math.min(room, contentEnd - position);
                content.fill(chunk, offset, n);
                digest.update(chunk, offset, n);
            } else {
                n = (int) Math.min(room, total - position);
                System.arraycopy(tail, (int) (position - contentEnd), chunk, offset, n);
                if (payload.digestWholeBody()) {
                    digest.update(chunk, offset, n);
                }
            }
            position += n;
            return n;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
