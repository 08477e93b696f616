package io.spillway.core.resumable;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.storage.WriterRegistry;
import io.spillway.core.time.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;

/**
 * One writer per upload, with lock release: a new request for an upload that another request is
 * writing asks that holder to let go instead of being refused. The holder's blocked read is woken
 * (its {@code wake} action), it stops reading, commits the bytes it received and gives the lease
 * back; the new request then proceeds on a settled offset. A holder that does not let go within
 * {@link #RELEASE_WAIT} (its read cannot be woken on this container, or its client sends on) is
 * revoked under the upload's commit lock: whatever it commits from then on is discarded, so it
 * can never move the offset under the new request. A writer on another server that does not
 * withdraw within {@link #REMOTE_RELEASE_WAIT} has its entry removed, and a writer whose entry is
 * gone may not commit either ({@link #mayCommit}).
 *
 * <p>Across servers sharing a store the same request travels through the store's
 * {@link WriterRegistry}: every lease is announced there, a request whose upload has a writer on
 * another server asks it to release and waits up to {@link #REMOTE_RELEASE_WAIT} for it to
 * withdraw, and {@link #answerReleaseRequests} (run at least every second while this server holds
 * leases) wakes the local holders that others asked to stop.
 *
 * <p>The stall measure of {@link #busy} is taken on the injected {@link Ticker}; the waits for a
 * holder are real waits, bounded as above.
 */
final class WriterLeases {

    /** How long a new request waits for a holder in this JVM before revoking it. */
    static final Duration RELEASE_WAIT = Duration.ofSeconds(1);
    /** How long a new request waits for a writer on another server to withdraw. */
    static final Duration REMOTE_RELEASE_WAIT = Duration.ofMillis(2500);

    private static final System.Logger LOG = System.getLogger(WriterLeases.class.getName());
    private static final long REMOTE_POLL_MILLIS = 50;

    private final ConcurrentHashMap<String, Lease> held = new ConcurrentHashMap<>();
    private final Ticker ticker;
    private final long stallMillis;
    private final WriterRegistry registry;
    private final Function<String, Lock> commitLocks;

    /**
     * @param stallTimeout a holder silent this long counts as idle for the sweeper
     * @param registry     where writers on other servers are found and asked
     * @param commitLocks  the commit lock of an upload, under which a holder is revoked
     */
    WriterLeases(Ticker ticker, Duration stallTimeout, WriterRegistry registry, Function<String, Lock> commitLocks) {
        this.ticker = ticker;
        this.stallMillis = stallTimeout.toMillis();
        this.registry = registry;
        this.commitLocks = commitLocks;
    }

    /**
     * Takes the lease of an upload, after asking its current holder (here or on another server)
     * to let go.
     *
     * @param wake makes this request's own blocked read return when a later request asks it to
     *             let go (or does nothing)
     */
    Lease acquire(String id, Runnable wake) throws IOException {
        Lease mine = new Lease(ticker, wake);
        boolean tookOver = false;
        while (true) {
            Lease current = held.putIfAbsent(id, mine);
            if (current == null) {
                break;
            }
            settle(id, current);
            tookOver = true;
        }
        mine.tookOver = settleElsewhere(id, Set.of(mine.token())) || tookOver;
        return announced(id, mine);
    }

    /**
     * Takes the lease of an upload only when nobody holds it, here or on another server: for a
     * {@link LateWriter}, which must never supersede a live request.
     *
     * @throws UploadRejectedException 409 when another request holds it
     */
    Lease acquireUnheld(String id, Runnable wake) throws IOException {
        Lease mine = new Lease(ticker, wake);
        if (held.putIfAbsent(id, mine) != null || !registry.writers(id).isEmpty()) {
            held.remove(id, mine);
            throw new UploadRejectedException(409, "a newer request is writing this upload; "
                    + "the bytes of this broken-off request are not kept");
        }
        return announced(id, mine);
    }

    /** Announces a lease taken here to the other servers; gives it back when that fails. */
    private Lease announced(String id, Lease mine) throws IOException {
        try {
            registry.announce(id, mine.token());
        } catch (IOException | RuntimeException e) {
            release(id, mine);
            throw e;
        }
        return mine;
    }

    /**
     * Makes the upload's offset settled: asks whoever writes it, here or on another server, to let
     * go and waits (bounded) until it has committed and withdrawn, or revokes it.
     */
    void settle(String id) throws IOException {
        Lease current = held.get(id);
        if (current != null) {
            settle(id, current);
        }
        settleElsewhere(id, Set.of());
    }

    /** Gives the lease back and withdraws it from the registry. Safe to call more than once. */
    void release(String id, Lease lease) {
        held.remove(id, lease);
        lease.released.countDown();
        registry.withdraw(id, lease.token());
    }

    /**
     * Whether the lease still gives the right to commit: it was not revoked here, and no request on
     * another server cleared it after waiting for it in vain.
     */
    boolean mayCommit(String id, Lease lease) throws IOException {
        return !lease.revoked() && registry.stillAnnounced(id, lease.token());
    }

    /** Whether a request in this JVM is actively writing the upload now (a stalled one is not). */
    boolean busy(String id) {
        Lease lease = held.get(id);
        return lease != null && !lease.stalled(stallMillis);
    }

    /** Whether any lease is held in this JVM. */
    boolean anyHeld() {
        return !held.isEmpty();
    }

    /**
     * Wakes every local holder that a request on another server asked to let go.
     *
     * @return how many were asked
     */
    int answerReleaseRequests() throws IOException {
        if (held.isEmpty()) {
            return 0;
        }
        Set<String> asked = registry.releaseRequests();
        int woken = 0;
        for (Lease lease : held.values()) {
            if (asked.contains(lease.token())) {
                lease.askToRelease();
                woken++;
            }
        }
        return woken;
    }

    private void settle(String id, Lease current) {
        current.askToRelease();
        if (current.awaitReleased(RELEASE_WAIT)) {
            return;
        }
        Lock lock = commitLocks.apply(id);
        lock.lock();
        try {
            current.revoke();
            held.remove(id, current);
        } finally {
            lock.unlock();
        }
        registry.withdraw(id, current.token());
        LOG.log(System.Logger.Level.INFO, () -> "upload " + id + ": a writer did not let go within "
                + RELEASE_WAIT.toMillis() + " ms; what it still receives is discarded");
    }

    /**
     * Asks the writers of other servers (every announced one not in {@code own}) to let go, and waits.
     *
     * @return whether there was any
     */
    private boolean settleElsewhere(String id, Set<String> own) throws IOException {
        List<String> others = registry.writers(id).stream().filter(w -> !own.contains(w)).toList();
        if (others.isEmpty()) {
            return false;
        }
        for (String writer : others) {
            registry.requestRelease(id, writer);
        }
        long deadline = System.nanoTime() + REMOTE_RELEASE_WAIT.toNanos();
        List<String> left = others;
        while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
            pause();
            List<String> now = registry.writers(id);
            left = left.stream().filter(now::contains).toList();
        }
        for (String stale : left) {
            LOG.log(System.Logger.Level.INFO, () -> "upload " + id + ": writer " + stale + " on another server did not "
                    + "withdraw within " + REMOTE_RELEASE_WAIT.toMillis() + " ms; going ahead");
            registry.withdraw(id, stale);
        }
        return true;
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(REMOTE_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a writer to let go");
        }
    }

    /** The right to write one upload, with the time its holder last received bytes. */
    static final class Lease {
        private final Ticker ticker;
        private final Runnable wake;
        private final String token = TempStorage.newId();
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile long lastProgress;
        private volatile boolean releaseAsked;
        private volatile boolean revoked;
        private volatile boolean tookOver;

        Lease(Ticker ticker, Runnable wake) {
            this.ticker = ticker;
            this.wake = wake;
            this.lastProgress = ticker.millis();
        }

        /** This request's name in the registry. */
        String token() {
            return token;
        }

        /** Records that bytes arrived. */
        void touch() {
            lastProgress = ticker.millis();
        }

        /** Whether a later request asked this holder to let go: it stops reading and commits. */
        boolean releaseAsked() {
            return releaseAsked;
        }

        /** Whether this request took the upload over from another writer, here or on another server. */
        boolean tookOver() {
            return tookOver;
        }

        /** Whether the holder was revoked: what it commits from now on is discarded. */
        boolean revoked() {
            return revoked;
        }

        boolean stalled(long stallMillis) {
            return ticker.millis() - lastProgress >= stallMillis;
        }

        private synchronized void askToRelease() {
            if (releaseAsked) {
                return;
            }
            releaseAsked = true;
            try {
                wake.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "waking a writer failed; it stops at its next byte", e);
            }
        }

        private boolean awaitReleased(Duration timeout) {
            try {
                return released.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private void revoke() {
            revoked = true;
        }
    }
}
