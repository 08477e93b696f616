package io.spillway.core.activity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.threads.SpillwayThreads;
import io.spillway.core.time.ManualTicker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ActiveUploadsTest {

    private final ManualTicker now = new ManualTicker();
    private final ActiveUploads uploads = new ActiveUploads(1024, Duration.ofSeconds(4), now);

    @Test
    void meteredBody_countsEveryByte_andFeedsTheListener() throws IOException {
        ActiveUpload upload = uploads.begin("STREAMED", () -> { });
        AtomicLong heard = new AtomicLong();
        upload.listen(heard::addAndGet);
        byte[] data = new byte[10_000];
        data[9_999] = 7;
        InputStream body = upload.meter(new ByteArrayInputStream(data));
        assertArrayEquals(data, body.readAllBytes());
        assertEquals(10_000, upload.bytesRead());
        assertEquals(10_000, heard.get());
    }

    @Test
    void slowBody_isAbortedBy408_atItsNextRead() throws IOException {
        ActiveUpload upload = uploads.begin("STREAMED", () -> { });
        InputStream body = upload.meter(new ByteArrayInputStream(new byte[100]));
        body.read();
        now.advanceMillis(3000);
        assertEquals(0, uploads.checkRates(), "still in its grace window");
        now.advanceMillis(1000);
        assertEquals(1, uploads.checkRates());
        UploadRejectedException refused = assertThrows(UploadRejectedException.class, body::read);
        assertEquals(408, refused.status());
        assertTrue(refused.reason().startsWith("upload too slow: 1 bytes in the last 4s"), refused.reason());
    }

    @Test
    void abort_wakesABlockedRead_throughTheUnblocker_andItFailsWithTheAbortStatus() throws Exception {
        CountDownLatch readBlocked = new CountDownLatch(1);
        CountDownLatch unblocked = new CountDownLatch(1);
        ActiveUpload upload = uploads.begin("BUFFERED", unblocked::countDown);
        InputStream blocking = new InputStream() {
            @Override
            public int read() throws IOException {
                readBlocked.countDown();
                try {
                    if (!unblocked.await(30, TimeUnit.SECONDS)) {
                        return 'x';
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new java.io.EOFException("input shut down");
            }
        };
        InputStream body = upload.meter(blocking);
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                body.read();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        assertTrue(readBlocked.await(30, TimeUnit.SECONDS), "the read never started");
        assertEquals(1, uploads.abortAll(503, "server is shutting down"));

        Throwable failure = reader.get(10, TimeUnit.SECONDS);
        UploadRejectedException refused = assertInstanceOf(failure);
        assertEquals(503, refused.status());
        assertEquals("server is shutting down", refused.reason());
    }

    @Test
    void completeBody_isNoLongerRateChecked_norUnblocked() {
        AtomicLong unblocks = new AtomicLong();
        ActiveUpload upload = uploads.begin("STREAMED", unblocks::incrementAndGet);
        upload.bodyComplete();
        now.advanceMillis(60_000);
        assertEquals(0, uploads.checkRates());
        assertTrue(upload.abort(503, "server is shutting down"), "the abort is still recorded");
        assertEquals(0, unblocks.get(), "but the connection is left alone");
    }

    @Test
    void endedUpload_cannotBeAborted_andLeavesTheCount() {
        ActiveUpload upload = uploads.begin("STREAMED", () -> { });
        assertEquals(Map.of("STREAMED", 1), uploads.countByRoute());
        upload.end();
        upload.end();
        assertFalse(upload.abort(503, "late"));
        assertEquals(0, uploads.count());
    }

    @Test
    void routeCounts_followEachUploadAsItBeginsMovesAndEnds() {
        ActiveUpload first = uploads.begin("ROUTING", () -> { });
        ActiveUpload second = uploads.begin("ROUTING", () -> { });
        assertEquals(2, uploads.countOnRoute("ROUTING"));

        first.route("STREAMED");
        second.route("BUFFERED");
        second.end();
        second.route("STREAMED");

        assertEquals(0, uploads.countOnRoute("ROUTING"));
        assertEquals(1, uploads.countOnRoute("STREAMED"), "a route change after the end is not counted");
        assertEquals(0, uploads.countOnRoute("BUFFERED"));
        assertEquals(Map.of("STREAMED", 1), uploads.countByRoute());
        first.end();
        assertEquals(Map.of(), uploads.countByRoute());
    }

    @Test
    void awaitIdle_returnsWhenTheLastUploadEnds_orAtTheTimeout() throws Exception {
        ActiveUpload upload = uploads.begin("BUFFERED", () -> { });
        uploads.begin("STREAMED", () -> { }).end();
        assertEquals(Map.of("BUFFERED", 1), uploads.countByRoute());
        assertFalse(uploads.awaitIdle(Duration.ofMillis(50)));
        CompletableFuture.runAsync(() -> {
            sleep(100);
            upload.end();
        });
        assertTrue(uploads.awaitIdle(Duration.ofSeconds(10)));
    }

    @Test
    void rateGuardOff_whenMinUploadRateIsZero() {
        ActiveUploads unguarded = new ActiveUploads(0, Duration.ofSeconds(1), now);
        unguarded.startWatchdog(SpillwayThreads.unscoped());
        unguarded.begin("STREAMED", () -> { });
        now.advanceMillis(3_600_000);
        assertEquals(0, unguarded.checkRates());
        unguarded.close();
    }

    private static UploadRejectedException assertInstanceOf(Throwable failure) {
        assertTrue(failure instanceof UploadRejectedException, String.valueOf(failure));
        return (UploadRejectedException) failure;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
