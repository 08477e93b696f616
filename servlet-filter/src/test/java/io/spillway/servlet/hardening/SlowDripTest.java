package io.spillway.servlet.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.RawHttpClient;
import io.spillway.servlet.testing.RawHttpClient.Framing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * THREATS.md 22 on every mode: a client dripping one byte a second (with a Content-Length, and in
 * one-byte chunks of chunked transfer encoding) is cut off by the minimum-rate guard with 408 and
 * a short reason, its partial file deleted and its thread freed, while a normal upload to the same
 * server completes with its exact bytes; afterwards everything is back at its baseline. The
 * connector's own read timeout is a minute, so only the filter's guard can end the drip this early.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SlowDripTest {

    @RegisterExtension
    static final Targets TARGETS = new Targets();

    @Test
    void drippingClients_areCutOffWith408_whileNormalUploadsComplete_onEveryMode() throws Exception {
        List<Target> targets = Mode.all().map(mode -> TARGETS.get(mode, Map.of("minUploadRate", "1KB",
                "minRateWindow", "2s"))).toList();
        List<Baseline> baselines = targets.stream().map(Target::baseline).toList();
        List<CompletableFuture<RawHttpClient.Response>> drips = new ArrayList<>();
        List<CompletableFuture<RawHttpClient.Response>> normals = new ArrayList<>();
        for (Target target : targets) {
            for (Framing framing : List.of(Framing.CONTENT_LENGTH, Framing.CHUNKED)) {
                Body body = Body.create().generatedFile("doc", "drip.bin", 22, 100_000).close();
                drips.add(CompletableFuture.supplyAsync(() -> send(target,
                        body.post("/upload").framing(framing).pieces(1, java.time.Duration.ofSeconds(1)))));
            }
            Body normal = Body.create().generatedFile("doc", "normal.bin", 23, 3_000_000).close();
            normals.add(CompletableFuture.supplyAsync(() -> send(target, normal.post("/upload"))));
        }
        for (CompletableFuture<RawHttpClient.Response> normal : normals) {
            Map<String, Object> echo = Responses.assertEchoed(normal.get(60, TimeUnit.SECONDS));
            assertEquals(GeneratedStream.sha256Of(23, 3_000_000), Responses.part(echo, 0).get("sha256"));
        }
        for (CompletableFuture<RawHttpClient.Response> drip : drips) {
            RawHttpClient.Response response = drip.get(60, TimeUnit.SECONDS);
            Responses.assertRefused(response, 408, "upload too slow");
            assertTrue(response.bytesSent() < 1_000, "cut off after " + response.bytesSent() + " bytes");
        }
        baselines.forEach(Baseline::assertRestored);
    }

    private static RawHttpClient.Response send(Target target, RawHttpClient.Request request) {
        try {
            return request.send(target.port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
