package io.spillway.benchmarks.harness.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Flow;
import org.apache.commons.fileupload2.core.MultipartInput;
import org.junit.jupiter.api.Test;

class MultipartBodyPublisherTest {

    @Test
    void seededStream_sameSeed_sameBytesWhateverTheChunking() {
        byte[] whole = new byte[1001];
        new SeededStream(42).fill(whole, 0, whole.length);
        byte[] pieces = new byte[1001];
        SeededStream stream = new SeededStream(42);
        int[] sizes = {3, 8, 1, 13, 500, 476};
        int offset = 0;
        for (int size : sizes) {
            stream.fill(pieces, offset, size);
            offset += size;
        }
        assertArrayEquals(whole, pieces);
        byte[] other = new byte[1001];
        new SeededStream(43).fill(other, 0, other.length);
        assertFalse(Arrays.equals(whole, other));
    }

    @Test
    void publishedBody_isTheDeclaredLengthAndParsesToTheDigestedContent() throws Exception {
        UploadPayload payload = new UploadPayload(7, 200_000, false);
        Collected body = publish(payload, 3);
        assertEquals(payload.bodyLength(), body.bytes.length);

        MultipartInput input = MultipartInput.builder()
                .setInputStream(new ByteArrayInputStream(body.bytes))
                .setBoundary(payload.boundary().getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .get();
        assertEquals(true, input.skipPreamble());
        String headers = input.readHeaders();
        assertEquals(true, headers.contains("filename=\"payload-7.bin\""), headers);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        input.readBodyData(content);
        assertEquals(200_000, content.size());
        assertEquals(sha256(content.toByteArray()), body.publisher.digestHex());
        assertEquals(false, input.readBoundary());
    }

    @Test
    void wholeBodyDigest_coversEveryByteSent() throws Exception {
        UploadPayload payload = new UploadPayload(9, 70_000, true);
        Collected body = publish(payload, Long.MAX_VALUE);
        assertEquals(sha256(body.bytes), body.publisher.digestHex());
        assertEquals(payload.bodyLength(), payload.digestedLength());
    }

    @Test
    void cancelledBody_hasNoDigest() {
        MultipartBodyPublisher publisher = new MultipartBodyPublisher(new UploadPayload(1, 1_000_000, false));
        publisher.subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(ByteBuffer item) {
                subscription.cancel();
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        });
        assertNull(publisher.digestHex());
    }

    private record Collected(MultipartBodyPublisher publisher, byte[] bytes) {
    }

    /** Subscribes like a client that asks for {@code batch} buffers at a time, from inside onNext. */
    private static Collected publish(UploadPayload payload, long batch) {
        MultipartBodyPublisher publisher = new MultipartBodyPublisher(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        publisher.subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;
            private long left;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                left = batch;
                s.request(batch);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                out.write(bytes, 0, bytes.length);
                if (--left == 0) {
                    left = batch;
                    subscription.request(batch);
                }
            }

            @Override
            public void onError(Throwable throwable) {
                throw new AssertionError(throwable);
            }

            @Override
            public void onComplete() {
            }
        });
        return new Collected(publisher, out.toByteArray());
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
