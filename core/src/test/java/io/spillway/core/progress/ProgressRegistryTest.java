package io.spillway.core.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.testing.MutableClock;
import io.spillway.core.time.ManualTicker;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressRegistryTest {

    private final MutableClock clock = new MutableClock();
    private final ManualTicker ticker = new ManualTicker();
    private final ProgressRegistry registry = new ProgressRegistry(clock, ticker, Duration.ofMinutes(5));

    @Test
    void receiving_reportsBytesSpeedAndEta() {
        UploadProgress progress = registry.start("up-1", 10_000_000).orElseThrow();
        progress.route("STREAMED");
        for (int second = 0; second < 4; second++) {
            ticker.advance(Duration.ofMillis(1000));
            progress.add(1_000_000);
        }
        ProgressSnapshot snapshot = registry.snapshot("up-1").orElseThrow();
        assertEquals(UploadState.RECEIVING, snapshot.state());
        assertEquals(4_000_000, snapshot.bytesReceived());
        assertEquals(10_000_000, snapshot.totalBytes());
        assertEquals("STREAMED", snapshot.route());
        assertEquals(1_000_000, snapshot.bytesPerSecond());
        assertEquals(6, snapshot.etaSeconds());
    }

    @Test
    void speed_isMeasuredOverTheLastFiveSeconds_andFallsWhenTheBodyStalls() {
        UploadProgress progress = registry.start("up-2", -1).orElseThrow();
        for (int i = 0; i < 20; i++) {
            ticker.advance(Duration.ofMillis(500));
            progress.add(i < 10 ? 100_000 : 10_000);
        }
        assertEquals(20_000, registry.snapshot("up-2").orElseThrow().bytesPerSecond(), "last 5 s at 20 KB/s");
        ticker.advance(Duration.ofMillis(10_000));
        ProgressSnapshot stalled = registry.snapshot("up-2").orElseThrow();
        assertTrue(stalled.bytesPerSecond() < 10_000, "stalled: " + stalled.bytesPerSecond());
        assertEquals(-1, stalled.etaSeconds(), "no total, no eta");
        assertNull(stalled.toJson().get("totalBytes"));
    }

    @Test
    void wallClockJump_changesNeitherSpeedNorRetention_andTimestampsFollowTheTicker() {
        Instant started = clock.instant();
        UploadProgress progress = registry.start("up-jump", 4_000_000).orElseThrow();
        for (int second = 0; second < 2; second++) {
            ticker.advance(Duration.ofMillis(1000));
            progress.add(1_000_000);
        }
        clock.advance(Duration.ofHours(6));
        ProgressSnapshot snapshot = registry.snapshot("up-jump").orElseThrow();
        assertEquals(1_000_000, snapshot.bytesPerSecond());
        assertEquals(2, snapshot.etaSeconds());
        assertEquals(started, snapshot.startedAt());
        assertEquals(started.plusSeconds(2), snapshot.updatedAt());
    }

    @Test
    void finishedUpload_staysForTheRetention_thenIsForgotten() {
        UploadProgress progress = registry.start("up-3", -1).orElseThrow();
        ticker.advance(Duration.ofMillis(1000));
        progress.add(5000);
        progress.done();
        progress.detach();
        ProgressSnapshot done = registry.snapshot("up-3").orElseThrow();
        assertEquals(UploadState.DONE, done.state());
        assertEquals(5000, done.totalBytes(), "an unknown total becomes the bytes received");
        assertEquals(0, done.etaSeconds());
        ticker.advance(Duration.ofMinutes(5).minusMillis(1));
        assertTrue(registry.snapshot("up-3").isPresent());
        ticker.advance(Duration.ofMillis(1));
        assertEquals(Optional.empty(), registry.snapshot("up-3"));
        assertEquals(0, registry.size());
    }

    @Test
    void failedUpload_carriesStatusAndReason_andIsNotOverwrittenByALaterDone() {
        UploadProgress progress = registry.start("up-4", 100).orElseThrow();
        progress.failed(413, "file exceeds maxFileSize 1.0 MiB");
        progress.done();
        Map<String, Object> json = registry.snapshot("up-4").orElseThrow().toJson();
        assertEquals("failed", json.get("state"));
        assertEquals(413, json.get("status"));
        assertEquals("file exceeds maxFileSize 1.0 MiB", json.get("reason"));
        assertNull(json.get("etaSeconds"));
    }

    @Test
    void uploadInFlight_keepsItsId_whileAFinishedOneIsReplaced() {
        UploadProgress first = registry.start("same", 10).orElseThrow();
        assertEquals(Optional.empty(), registry.start("same", 20), "in flight: the id is taken");
        first.done();
        first.detach();
        UploadProgress second = registry.start("same", 30).orElseThrow();
        assertNotEquals(first, second);
        assertEquals(30, registry.snapshot("same").orElseThrow().totalBytes());
    }

    @Test
    void resumableUpload_continuesAcrossRequests_fromTheBytesStored() {
        UploadProgress chunk1 = registry.resume("tus-1", 3000, 0);
        ticker.advance(Duration.ofMillis(1000));
        chunk1.add(1000);
        chunk1.detach();
        ticker.advance(Duration.ofMinutes(1));
        UploadProgress chunk2 = registry.resume("tus-1", 3000, 1000);
        assertEquals(chunk1, chunk2, "one entry across requests");
        ticker.advance(Duration.ofMillis(1000));
        chunk2.add(1000);
        ProgressSnapshot middle = registry.snapshot("tus-1").orElseThrow();
        assertEquals(2000, middle.bytesReceived());
        assertEquals(1000, middle.bytesPerSecond(), "speed counts this request only, not the pause");
        chunk2.assembling();
        assertEquals(UploadState.ASSEMBLING, registry.snapshot("tus-1").orElseThrow().state());
        chunk2.done();
        chunk2.detach();
        assertEquals(UploadState.DONE, registry.snapshot("tus-1").orElseThrow().state());
    }

    @Test
    void pausedResumableUpload_isForgottenAfterTheRetention() {
        registry.resume("tus-2", 3000, 0).detach();
        ticker.advance(Duration.ofMinutes(5));
        assertFalse(registry.snapshot("tus-2").isPresent());
    }

    @Test
    void idleEntries_areCapped_oldestFirst() {
        ProgressRegistry small = new ProgressRegistry(clock, ticker, Duration.ofHours(1), 10);
        for (int i = 0; i < 30; i++) {
            UploadProgress p = small.start("id-" + i, 1).orElseThrow();
            p.done();
            p.detach();
            ticker.advance(Duration.ofMillis(100));
        }
        ticker.advance(Duration.ofMillis(1000));
        small.start("last", 1);
        assertTrue(small.size() <= 11, "size " + small.size());
        assertFalse(small.snapshot("id-0").isPresent(), "oldest dropped");
        assertTrue(small.snapshot("id-29").isPresent(), "newest kept");
    }

    @Test
    void ids_areCheckedForLengthAndCharacters() {
        assertTrue(ProgressIds.isValid("a"));
        assertTrue(ProgressIds.isValid("Upload_2025-01-01"));
        assertTrue(ProgressIds.isValid("x".repeat(64)));
        assertFalse(ProgressIds.isValid("x".repeat(65)));
        assertFalse(ProgressIds.isValid(""));
        assertFalse(ProgressIds.isValid(null));
        assertFalse(ProgressIds.isValid("../etc"));
        assertFalse(ProgressIds.isValid("a b"));
        assertFalse(ProgressIds.isValid("a\nb"));
        assertTrue(ProgressIds.newId().matches("[0-9a-f]{32}"));
    }
}
