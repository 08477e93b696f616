package io.spillway.servlet.hardening;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.RawHttpClient;
import io.spillway.servlet.testing.RawHttpClient.Framing;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * THREATS.md 21: a client that goes away mid-body, politely (FIN) or not (RST), frees its request
 * thread, leaves no partial file and returns its memory reservation, on both routes, with a known
 * length and with chunked transfer encoding, and also while the application is still working.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientAbortTest {

    @RegisterExtension
    static final Targets TARGETS = new Targets();
    private static volatile CountDownLatch applicationEntered;
    private static volatile CountDownLatch applicationReleased;
    @RegisterExtension
    static final Targets SLOW_APPLICATION = new Targets(() -> new PartsEchoServlet() {
        private static final long serialVersionUID = 1L;

        @Override
        protected void afterParts(HttpServletRequest request) {
            applicationEntered.countDown();
            try {
                applicationReleased.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    });
    private static final long DECLARED = 20L << 20;

    /** How a client goes away. */
    enum Abort { FIN, RST }

    static Stream<Arguments> aborts() {
        return Mode.all().flatMap(mode -> Stream.of(Abort.values()).flatMap(abort -> Stream.of(Framing.CONTENT_LENGTH,
                Framing.CHUNKED).map(framing -> Arguments.of(mode, abort, framing))));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("aborts")
    void abortMidBody_freesTheThread_deletesThePartialFile_releasesTheReservation(Mode mode, Abort abort,
                                                                                    Framing framing) throws IOException {
        Target target = TARGETS.get(mode);
        Baseline baseline = target.baseline();
        boolean buffersWholeBody = mode.buffered() && framing == Framing.CONTENT_LENGTH;
        Body body = Body.create().field("a", "1").fileHead("doc", "abort.bin")
                .stream(() -> new GeneratedStream(21, DECLARED), DECLARED);
        try (RawHttpClient client = connectAndSendSome(target, body.post("/upload").framing(framing)
                .declaredLength(DECLARED), body, framing, 3 << 20)) {
            if (buffersWholeBody) {
                awaitTrue("the reservation of the declared length", () -> target.filter().budget().reserved() == DECLARED);
            } else {
                awaitTrue("a partial file on disk", () -> target.tempFiles() == 1);
            }
            assertEquals(1, target.server().busyThreads(), "one request thread is reading the body");
            abort(client, abort);
            awaitTrue("the request thread to be freed", () -> target.server().busyThreads() == 0);
        }
        baseline.assertRestored();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spillway.servlet.hardening.Mode#all")
    void manyAbortsAtRandomOffsets_leaveNothingBehind(Mode mode) throws IOException {
        Target target = TARGETS.get(mode);
        Baseline baseline = target.baseline();
        Random random = new Random(2121);
        for (int i = 0; i < 12; i++) {
            Framing framing = random.nextBoolean() ? Framing.CONTENT_LENGTH : Framing.CHUNKED;
            long size = 1 + random.nextInt(4 << 20);
            Body body = Body.create().generatedFile("doc", "x.bin", i, size).close();
            try (RawHttpClient client = connectAndSendSome(target, body.post("/upload").framing(framing), body, framing,
                    random.nextInt((int) Math.min(body.length(), 1 << 20)))) {
                abort(client, random.nextBoolean() ? Abort.FIN : Abort.RST);
            }
        }
        awaitTrue("request threads to be freed", () -> target.server().busyThreads() == 0);
        baseline.assertRestored();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spillway.servlet.hardening.Mode#all")
    void resetWhileTheApplicationWorks_stillCleansUpAfterIt(Mode mode) throws Exception {
        Target target = SLOW_APPLICATION.get(mode);
        Baseline baseline = target.baseline();
        applicationEntered = new CountDownLatch(1);
        applicationReleased = new CountDownLatch(1);
        try (RawHttpClient client = RawHttpClient.connect(target.port())) {
            Body body = Body.create().generatedFile("doc", "done.bin", 22, 3 << 20).close();
            client.write(body.post("/upload").head());
            client.write(body.stream(), 64 << 10, Duration.ZERO);
            assertTrue(applicationEntered.await(30, TimeUnit.SECONDS), "the application got the parts");
            assertEquals(mode.buffered() ? 0 : 1, target.tempFiles(), "while the application holds the part");
            client.reset();
        } finally {
            applicationReleased.countDown();
        }
        awaitTrue("the request thread to be freed", () -> target.server().busyThreads() == 0);
        baseline.assertRestored();
    }

    /**
     * Connects to the target and sends the head of {@code request}, then the first {@code bytes}
     * bytes of {@code body} framed as {@code framing}; returns the connection, still open.
     */
    private static RawHttpClient connectAndSendSome(Target target, RawHttpClient.Request request, Body body,
                                                    Framing framing, long bytes) throws IOException {
        RawHttpClient client = RawHttpClient.connect(target.port());
        try {
            client.write(request.head());
            sendSome(client, body.stream(), framing, bytes);
            return client;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static void sendSome(RawHttpClient client, InputStream body, Framing framing, long bytes) throws IOException {
        byte[] buffer = new byte[64 << 10];
        long left = bytes;
        try (InputStream in = body) {
            while (left > 0) {
                int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
                if (n <= 0) {
                    return;
                }
                if (framing == Framing.CHUNKED) {
                    client.writeChunk(buffer, 0, n);
                } else {
                    client.write(buffer, 0, n);
                }
                left -= n;
            }
        }
    }

    private static void abort(RawHttpClient client, Abort abort) throws IOException {
        if (abort == Abort.FIN) {
            client.finish();
            client.awaitClose(Duration.ofSeconds(10));
        } else {
            client.reset();
        }
    }

    static void awaitTrue(String what, BooleanSupplier condition) {
        await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
    }

}
