package io.spillway.core.resumable;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.storage.WriterRegistry;
import io.spillway.core.time.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * Lock release between two "servers" that share one registry (in memory here; the S3 registry is
 * exercised by the two-node test): a lease taken on one is asked to let go by a request on the
 * other, which waits until the holder withdrew, or clears a writer that never answers (which may
 * then no longer commit).
 */
class WriterLeasesTest {

    private static final String ID = "0123456789abcdef0123456789abcdef";

    private final ManualTicker ticker = new ManualTicker();
    private final SharedRegistry registry = new SharedRegistry();
    private final ReentrantLock commitLock = new ReentrantLock();

    /** Two servers that share the registry, for the tests of writers on different servers. */
    private final WriterLeases nodeA = leases();
    private final WriterLeases nodeB = leases();

    @Test
    void aRequestOnAnotherServer_asksTheHolderToLetGo_andProceedsOnceItWithdrew() throws Exception {
        AtomicInteger woken = new AtomicInteger();
        WriterLeases.Lease held = nodeA.acquire(ID, woken::incrementAndGet);
        assertEquals(List.of(held.token()), registry.writers(ID));

        CompletableFuture<Void> answering = CompletableFuture.runAsync(() -> {
            await("the release request").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> answeredAndAsked(nodeA, held));
            nodeA.release(ID, held);
        });
        WriterLeases.Lease taken = nodeB.acquire(ID, () -> { });
        answering.get(10, TimeUnit.SECONDS);

        assertEquals(1, woken.get(), "the holder's read was woken once");
        assertTrue(held.releaseAsked());
        assertFalse(held.revoked(), "it let go by itself");
        assertEquals(List.of(taken.token()), registry.writers(ID));
        assertEquals(Set.of(), registry.releaseRequests(), "a withdrawn writer's release request goes with it");
    }

    @Test
    void aWriterOnAnotherServerThatNeverAnswers_isClearedAfterTheRemoteWait() throws Exception {
        WriterLeases.Lease dead = nodeA.acquire(ID, () -> { });
        long started = System.nanoTime();
        WriterLeases.Lease taken = nodeB.acquire(ID, () -> { });
        assertTrue(System.nanoTime() - started >= WriterLeases.REMOTE_RELEASE_WAIT.toNanos(),
                "it waited for the writer before going ahead");
        assertEquals(List.of(taken.token()), registry.writers(ID));
        assertFalse(dead.releaseAsked(), "nobody on node A answered: the server was gone");
        assertFalse(nodeA.mayCommit(ID, dead), "a writer that wakes up after it was cleared may not commit");
        assertTrue(nodeB.mayCommit(ID, taken));
    }

    @Test
    void aHolderInThisJvmThatCannotBeWoken_isRevokedUnderTheCommitLock() throws Exception {
        WriterLeases node = leases();
        WriterLeases.Lease stuck = node.acquire(ID, () -> { });
        WriterLeases.Lease taken = node.acquire(ID, () -> { });
        assertTrue(stuck.revoked());
        assertFalse(node.mayCommit(ID, stuck));
        assertFalse(taken.revoked());
        assertTrue(node.mayCommit(ID, taken));
        assertFalse(commitLock.isLocked());
        node.release(ID, stuck);
        assertTrue(node.anyHeld(), "releasing the revoked lease leaves the new one in place");
        node.release(ID, taken);
        assertFalse(node.anyHeld());
        assertEquals(List.of(), registry.writers(ID));
    }

    @Test
    void aLateWriter_takesAFreeLease_butNeverOneHeldHereOrOnAnotherServer() throws Exception {
        AtomicInteger woken = new AtomicInteger();
        WriterLeases.Lease live = nodeA.acquire(ID, woken::incrementAndGet);

        UploadRejectedException here = assertThrows(UploadRejectedException.class,
                () -> nodeA.acquireUnheld(ID, () -> { }));
        UploadRejectedException elsewhere = assertThrows(UploadRejectedException.class,
                () -> nodeB.acquireUnheld(ID, () -> { }));

        assertEquals(409, here.status());
        assertEquals(409, elsewhere.status());
        assertEquals(0, woken.get(), "the live holder was not asked to let go");
        assertFalse(live.releaseAsked());
        assertEquals(List.of(live.token()), registry.writers(ID));
        nodeA.release(ID, live);
        WriterLeases.Lease late = nodeB.acquireUnheld(ID, () -> { });
        assertEquals(List.of(late.token()), registry.writers(ID));
        assertTrue(nodeB.mayCommit(ID, late));
    }

    @Test
    void busy_isFalseOnceTheHolderWasSilentForTheStallTimeout() throws Exception {
        WriterLeases node = leases();
        WriterLeases.Lease lease = node.acquire(ID, () -> { });
        assertTrue(node.busy(ID));
        ticker.advance(Duration.ofSeconds(10));
        assertFalse(node.busy(ID));
        lease.touch();
        assertTrue(node.busy(ID));
    }

    private WriterLeases leases() {
        return new WriterLeases(ticker, Duration.ofSeconds(10), registry, id -> commitLock);
    }

    /** One round of the holder's answering; true once its lease was asked to let go. */
    private static boolean answeredAndAsked(WriterLeases node, WriterLeases.Lease held) throws Exception {
        node.answerReleaseRequests();
        return held.releaseAsked();
    }


    /** A registry that two WriterLeases share, as two servers share a bucket. */
    private static final class SharedRegistry implements WriterRegistry {
        private final Map<String, List<String>> writers = new ConcurrentHashMap<>();
        private final Set<String> releases = ConcurrentHashMap.newKeySet();

        @Override
        public void announce(String id, String writer) {
            writers.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(writer);
        }

        @Override
        public void withdraw(String id, String writer) {
            writers.getOrDefault(id, new ArrayList<>()).remove(writer);
            releases.remove(writer);
        }

        @Override
        public List<String> writers(String id) {
            return List.copyOf(writers.getOrDefault(id, List.of()));
        }

        @Override
        public void requestRelease(String id, String writer) {
            releases.add(writer);
        }

        @Override
        public Set<String> releaseRequests() {
            return Set.copyOf(releases);
        }

        @Override
        public boolean stillAnnounced(String id, String writer) {
            return writers(id).contains(writer);
        }
    }
}
