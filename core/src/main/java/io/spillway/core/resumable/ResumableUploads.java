package io.spillway.core.resumable;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.storage.ResumableStore;
import io.spillway.core.storage.ResumableStore.StoredState;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.storage.UploadIds;
import io.spillway.core.threads.SpillwayThreads;
import io.spillway.core.time.Ticker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The protocol-neutral engine of resumable uploads: it creates uploads, stores their chunks,
 * decides exactly once when one is complete, and deletes what is finished or abandoned.
 *
 * <p>Every chunk goes the same way: take the upload's writer lease (423 while another request
 * writes it), check the request against the state, copy the body into a private staging file,
 * verify it (length, checksum, equal bytes where it overlaps what was received), then, under the
 * upload's commit lock, write it into the store (durable) and compare-and-set the new state. A
 * request that fails at any step leaves the upload's state as it was and nothing on disk; the
 * one request whose commit makes the upload complete gets {@link WriteOutcome#completed()}.
 *
 * <p>Delivery: the commit that completes an upload marks it complete, and the request that made it
 * hands it to the application, then {@link #finish} deletes it. When that request fails before the
 * application had the file (the store fails while assembling or downloading it), the upload is
 * marked undelivered again at once, so that resending the last chunk or a status query
 * ({@link #claimDelivery}) delivers it. When even that mark cannot be written (the store is down)
 * or the delivering server stops, the upload stays complete; once it has been complete for
 * {@link #DELIVERY_GRACE} without being finished, the next request that touches it reopens it.
 * At start-up, uploads that were complete but not finished are reopened at once on a store of this
 * server's own, and only after {@link #DELIVERY_GRACE} on a {@link ResumableStore#shared() shared}
 * store, where another server may be delivering them right now. Delivery is at-least-once.
 *
 * <p>Time is injected: expiry ({@code uploadExpiry} after the last stored bytes) and the delivery
 * grace are wall-clock dates kept in the state, so they come from a {@link Clock}; the
 * stalled-writer timeout ({@code stalledUploadTimeout}) is an interval, measured on a
 * {@link Ticker}. Both are testable without waiting. Background threads come from the
 * {@link SpillwayThreads} given.
 */
public final class ResumableUploads implements AutoCloseable {

    /** The most separate spans one upload may hold; more would let a client bloat the state. */
    public static final int MAX_SPANS = 1000;
    /**
     * How long a complete upload belongs to the request delivering it: a complete upload that is still
     * there this long after its last byte was not delivered, and may be delivered again.
     */
    public static final Duration DELIVERY_GRACE = Duration.ofMinutes(15);
    /** How often a server on a shared store looks for requests to let go of an upload it writes. */
    static final Duration RELEASE_WATCH_INTERVAL = Duration.ofMillis(500);

    private static final System.Logger LOG = System.getLogger(ResumableUploads.class.getName());
    private static final int STRIPES = 64;

    private final ResumableStore store;
    private final TempStorage staging;
    private final SpillwayConfig config;
    private final Clock clock;
    private final SpillwayThreads threads;
    private final StoredUploads stored;
    private final WriterLeases leases;
    private final Endings endings;
    private final ExpirySweep expirySweep;
    private final UploadLimits limits;
    private final DeliveryGrace delivery;
    private final ReentrantLock[] resumeLocks = new ReentrantLock[STRIPES];
    private volatile ScheduledExecutorService sweeper;
    private volatile ScheduledExecutorService releaseWatcher;
    private volatile int maxSpans = MAX_SPANS;

    private ResumableUploads(ResumableStore store, TempStorage staging, SpillwayConfig config, Clock clock,
                             Ticker ticker, SpillwayThreads threads) {
        this.store = store;
        this.staging = staging;
        this.config = config;
        this.clock = clock;
        this.threads = threads;
        for (int i = 0; i < STRIPES; i++) {
            resumeLocks[i] = new ReentrantLock();
        }
        this.endings = new Endings(store, clock, config.uploadExpiry());
        this.stored = new StoredUploads(store, endings);
        this.leases = new WriterLeases(ticker, config.stalledUploadTimeout(), store.writers(), stored::lock);
        this.expirySweep = new ExpirySweep(stored, leases, clock, config.uploadExpiry());
        this.limits = new UploadLimits(store, config);
        this.delivery = new DeliveryGrace(stored);
    }

    /**
     * Opens the engine over a store and recovers from a previous run: staging leftovers are
     * deleted, each state's spans are clipped to the bytes really stored, bytes no state records
     * are dropped, and an upload that was complete but never handed on becomes resumable again.
     *
     * @param stagingDirectory a private directory for request bodies being received
     */
    public static ResumableUploads open(ResumableStore store, Path stagingDirectory, SpillwayConfig config,
                                        Clock clock) throws IOException {
        return open(store, stagingDirectory, config, clock, Ticker.system(), SpillwayThreads.unscoped());
    }

    /**
     * Opens the engine like {@link #open(ResumableStore, Path, SpillwayConfig, Clock)}, with the
     * ticker its intervals are measured on and the threads its background work runs on.
     */
    public static ResumableUploads open(ResumableStore store, Path stagingDirectory, SpillwayConfig config,
                                        Clock clock, Ticker ticker, SpillwayThreads threads) throws IOException {
        TempStorage staging = TempStorage.open(stagingDirectory);
        staging.deleteOwnFiles();
        ResumableUploads engine = new ResumableUploads(store, staging, config, clock, ticker, threads);
        new StartupRecovery(engine.stored, clock).run();
        if (store.shared()) {
            engine.watchReleaseRequests();
        }
        return engine;
    }

    /** Runs {@link #sweep} on a daemon thread every {@code interval} until {@link #close}. */
    public synchronized void startSweeping(Duration interval) {
        if (sweeper != null) {
            return;
        }
        sweeper = threads.every("resumable-sweeper", interval, this::sweepQuietly);
    }

    /**
     * On a shared store: answers, every {@link #RELEASE_WATCH_INTERVAL}, the requests of other
     * servers that asked a writer here to let go of an upload.
     */
    private synchronized void watchReleaseRequests() {
        releaseWatcher = threads.every("resumable-release-watcher", RELEASE_WATCH_INTERVAL, this::answerQuietly);
    }

    /** Lowers the span cap, so that a test can reach it with few requests. */
    void limitSpans(int spans) {
        maxSpans = spans;
    }

    /** The configuration the engine enforces. */
    public SpillwayConfig config() {
        return config;
    }

    /**
     * Creates an upload after checking its declared length: over {@code maxFileSize} is 413 and
     * over the free disk above {@code diskReserve} is 507, both before anything is created. An
     * upload of length 0 is complete at once. An IETF upload may leave its length
     * {@link UploadState#UNKNOWN_LENGTH unknown} until the request that ends it
     * ({@link #appendLast}).
     */
    public UploadState create(NewUpload spec) throws IOException {
        if (spec.total() != UploadState.UNKNOWN_LENGTH || !spec.protocol().equals(UploadState.IETF)) {
            limits.checkTotal(spec.total());
        }
        limits.requireDisk(Math.max(0, spec.total()));
        while (true) {
            Instant now = clock.instant();
            UploadState state = new UploadState(UploadIds.newId(), spec.protocol(), spec.total(), ByteRanges.empty(),
                    spec.fileName(), spec.fieldName(), spec.contentType(), spec.metadata(), spec.owner(),
                    spec.resumeKey(), now, now, now.plus(config.uploadExpiry()), spec.total() == 0, 0);
            try {
                store.create(state.id(), state.toJson());
            } catch (FileAlreadyExistsException taken) {
                continue;
            } catch (UploadRejectedException storeSaid) {
                throw storeSaid;
            } catch (IOException e) {
                throw new UploadRejectedException(507, "could not store the upload", e);
            }
            if (spec.resumeKey() != null) {
                stored.rememberResumeKey(spec.resumeKey(), state.id());
            }
            return state;
        }
    }

    /**
     * Finds the unfinished upload with this resume key, or creates it; concurrent calls with the
     * same key get the same upload.
     *
     * @return the upload and whether this call created it
     */
    public Found findOrCreate(NewUpload spec) throws IOException {
        String key = Objects.requireNonNull(spec.resumeKey(), "resumeKey");
        ReentrantLock lock = resumeLocks[Math.floorMod(key.hashCode(), STRIPES)];
        lock.lock();
        try {
            Optional<UploadState> existing = findByResumeKey(key, spec.owner());
            if (existing.isPresent()) {
                return new Found(existing.get(), false);
            }
            return new Found(create(spec), true);
        } finally {
            lock.unlock();
        }
    }

    /** The unfinished upload with this resume key that the requester may see, if any. */
    public Optional<UploadState> findByResumeKey(String resumeKey, String owner) throws IOException {
        String id = stored.idOfResumeKey(resumeKey);
        if (id == null) {
            return Optional.empty();
        }
        try {
            UploadState state = load(id, owner, false).state();
            if (resumeKey.equals(state.resumeKey())) {
                return Optional.of(state);
            }
        } catch (UploadRejectedException gone) {
            // ended meanwhile: forget the key below
        }
        stored.forgetResumeKey(resumeKey, id);
        return Optional.empty();
    }

    /**
     * The current state of an upload, settled: a request still writing it (here or on another
     * server sharing the store) is asked to let go, commits what it received and ends, so that a
     * client resuming after a dropped connection sees the offset it can go on from, at once, and
     * no request is still changing it.
     *
     * @throws UploadRejectedException 404 for an unknown id (or one created by another user)
     * @throws UploadGoneException     for an upload that completed, was terminated or expired
     *                                 within {@code uploadExpiry}
     */
    public UploadState status(String id, String owner) throws IOException {
        UploadLimits.requireWellFormed(id);
        load(id, owner, true);
        leases.settle(id);
        return load(id, owner, true).state();
    }

    /**
     * Stores a Content-Range chunk. The body must have the range's length in one of its two
     * readings (see {@link ContentRange#span}); bytes that overlap received ones must be equal.
     *
     * @param declaredLength the body length announced by the request, or -1 when unknown
     */
    public WriteOutcome writeRange(String id, String owner, ContentRange range, long declaredLength,
                                   InputStream body) throws IOException {
        return writeRange(id, owner, range, declaredLength, body, () -> { });
    }

    /**
     * Stores a Content-Range chunk, like {@link #writeRange(String, String, ContentRange, long, InputStream)}.
     *
     * @param wake makes this request's blocked read of {@code body} return (or fail) when a later
     *             request for the same upload asks it to let go; the bytes received until then are kept
     */
    public WriteOutcome writeRange(String id, String owner, ContentRange range, long declaredLength,
                                   InputStream body, Runnable wake) throws IOException {
        if (range.isQuery()) {
            throw new IllegalArgumentException("a status query carries no bytes");
        }
        if (declaredLength >= 0 && !range.accepts(declaredLength)) {
            throw UploadRejectedException.badRequest("body length " + declaredLength
                    + " does not match Content-Range " + range);
        }
        return write(id, owner, new RangePiece(range, declaredLength), body, wake);
    }

    /**
     * Appends bytes at {@code offset}, which must equal the stored offset (tus PATCH). Without a
     * checksum, the bytes that arrived before the request broke off are kept, as tus servers do;
     * with one, the chunk is all or nothing.
     *
     * @param declaredLength the body length announced by the request, or -1 when unknown
     * @param checksum       the declared checksum of the body, or null
     */
    public WriteOutcome append(String id, String owner, long offset, long declaredLength, InputStream body,
                               Checksum checksum) throws IOException {
        return append(id, owner, offset, declaredLength, body, checksum, () -> { });
    }

    /**
     * Appends bytes at {@code offset}, like {@link #append(String, String, long, long, InputStream, Checksum)}.
     *
     * @param wake makes this request's blocked read of {@code body} return (or fail) when a later
     *             request for the same upload asks it to let go; the bytes received until then are
     *             kept (without a checksum)
     */
    public WriteOutcome append(String id, String owner, long offset, long declaredLength, InputStream body,
                               Checksum checksum, Runnable wake) throws IOException {
        return write(id, owner, new AppendPiece(offset, declaredLength, checksum, false, config.maxFileSize()), body,
                wake);
    }

    /**
     * Appends the last bytes of an upload at {@code offset} (IETF {@code Upload-Complete: ?1}): the
     * upload ends with this body. An upload of unknown length takes {@code offset} plus the body's
     * length as its length; for a known one, the body must end exactly at it (400 otherwise). A
     * body that breaks off keeps what arrived and ends nothing.
     *
     * @param declaredLength the body length announced by the request, or -1 when unknown
     * @param wake           as for {@link #append(String, String, long, long, InputStream, Checksum, Runnable)}
     */
    public WriteOutcome appendLast(String id, String owner, long offset, long declaredLength, InputStream body,
                                   Runnable wake) throws IOException {
        return write(id, owner, new AppendPiece(offset, declaredLength, null, true, config.maxFileSize()), body,
                wake);
    }

    /**
     * The assembled file of a complete upload, valid until {@link #finish}. When the store cannot
     * assemble or hand it out, the upload is marked undelivered again (when the store still
     * answers), so that a retry delivers it, and the failure is thrown.
     */
    public Path completedFile(String id) throws IOException {
        try {
            return store.materialize(id);
        } catch (IOException | RuntimeException e) {
            delivery.markUndelivered(id);
            throw e;
        }
    }

    /**
     * Delivers an upload whose bytes have all arrived but which is not complete: its completing
     * request failed before the application had the file, or it was reopened after a crash. Of
     * concurrent callers, on any server, exactly one gets the state back, now complete, and hands
     * the file on like the request whose chunk completes an upload (then {@link #finish}).
     *
     * @return the completed state, or empty when bytes are missing, the upload is already complete
     *         or another request claimed it first
     * @throws UploadRejectedException 404 for an unknown id
     */
    public Optional<UploadState> claimDelivery(String id, String owner) throws IOException {
        UploadLimits.requireWellFormed(id);
        ReentrantLock lock = stored.lock(id);
        lock.lock();
        try {
            Loaded loaded = load(id, owner, true);
            UploadState state = loaded.state();
            if (state.complete() || !state.fullyReceived()) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            UploadState next = state.withReceived(state.received(), now, now.plus(config.uploadExpiry()), true);
            return store.replaceState(id, loaded.version(), next.toJson()).map(version -> next);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes a completed upload once the application has had it (the filter runs this after the
     * chain). Never throws.
     */
    public void finish(String id) {
        stored.end(id, UploadGoneException.Reason.COMPLETED);
    }

    /**
     * Deletes an upload the request that created it could not start (its id never reached the
     * client). Never throws.
     */
    public void discard(String id) {
        stored.discard(id);
    }

    /**
     * Deletes an upload at the client's request (tus termination); a request writing it is asked
     * to let go first.
     *
     * @throws UploadRejectedException 404 when unknown
     * @throws UploadGoneException     when it already ended
     */
    public void terminate(String id, String owner) throws IOException {
        UploadLimits.requireWellFormed(id);
        load(id, owner, true);
        WriterLeases.Lease lease = leases.acquire(id, () -> { });
        try {
            load(id, owner, true);
            stored.end(id, UploadGoneException.Reason.TERMINATED);
        } finally {
            leases.release(id, lease);
        }
    }

    /**
     * Deletes every abandoned upload: expired ones (no bytes stored for {@code uploadExpiry}) and
     * orphans (bytes without a readable state) untouched for as long. Uploads being written are
     * skipped.
     *
     * @return how many uploads were deleted
     */
    public int sweep() throws IOException {
        return expirySweep.sweep();
    }

    /**
     * Stops the sweeper and closes the store when it holds resources (a remote store's client);
     * stored uploads stay for the next start.
     */
    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
        if (releaseWatcher != null) {
            releaseWatcher.shutdownNow();
            releaseWatcher = null;
        }
        if (store instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "could not close the resumable store", e);
            }
        }
    }

    private WriteOutcome write(String id, String owner, Piece requested, InputStream body, Runnable wake)
            throws IOException {
        UploadLimits.requireWellFormed(id);
        load(id, owner, false);
        WriterLeases.Lease lease = wake instanceof LateWriter
                ? leases.acquireUnheld(id, wake) : leases.acquire(id, wake);
        Piece piece = lease.tookOver() ? requested.afterTakeOver() : requested;
        try {
            UploadState state = load(id, owner, false).state();
            piece.precheck(state);
            long limit = piece.limit(state);
            limits.requireDisk(piece.expectedBytes(state));
            try (StagedBody staged = StagedBody.stage(staging, body, limit, piece.digestAlgorithm(), lease::touch,
                    lease::releaseAsked)) {
                ByteRange span = piece.resolve(state, staged);
                if (piece.interrupted(staged) && span.length() == 0) {
                    throw new UploadRejectedException(400, brokenOff(staged) + "; nothing kept",
                            staged.interruption());
                }
                WriteOutcome outcome = commit(id, owner, lease, piece, staged, span);
                if (piece.interrupted(staged)) {
                    throw new UploadRejectedException(400, brokenOff(staged) + "; " + span.length()
                            + " bytes kept", staged.interruption());
                }
                return outcome;
            }
        } finally {
            leases.release(id, lease);
        }
    }

    private static String brokenOff(StagedBody staged) {
        return staged.superseded() ? "superseded by a newer request for this upload" : "request body ended early";
    }

    private WriteOutcome commit(String id, String owner, WriterLeases.Lease lease, Piece piece, StagedBody staged,
                                ByteRange span) throws IOException {
        ReentrantLock lock = stored.lock(id);
        lock.lock();
        try {
            if (!leases.mayCommit(id, lease)) {
                throw new UploadRejectedException(400, "superseded: a newer request for this upload took over; "
                        + "chunk discarded");
            }
            Loaded loaded = load(id, owner, false);
            UploadState state = loaded.state();
            piece.precheck(state);
            long total = piece.totalAfter(state, span, staged);
            if (total != state.total()) {
                state = state.withTotal(total);
            }
            OverlapCheck.verify(store, id, state.received(), span, staged);
            ByteRanges received = state.received().add(span);
            if (received.spanCount() > maxSpans) {
                throw UploadRejectedException.badRequest("upload has too many gaps (more than " + maxSpans
                        + " separate pieces); send the missing ranges first");
            }
            ByteRange fresh = piece.toWrite(state, span);
            if (fresh.length() > 0) {
                try (InputStream in = staged.open(fresh.start() - span.start(), fresh.length())) {
                    store.write(id, fresh.start(), in, fresh.length());
                } catch (UploadRejectedException storeSaid) {
                    throw storeSaid;
                } catch (IOException e) {
                    dropUnrecordedBytes(id);
                    throw new UploadRejectedException(507, "could not store the upload", e);
                }
            }
            Instant now = clock.instant();
            boolean completes = state.lengthKnown() && received.covers(state.total());
            UploadState next = state.withReceived(received, now, now.plus(config.uploadExpiry()), completes);
            if (store.replaceState(id, loaded.version(), next.toJson()).isEmpty()) {
                throw new UploadRejectedException(409, "upload changed while this chunk was stored; retry");
            }
            return new WriteOutcome(next, completes);
        } finally {
            lock.unlock();
        }
    }

    /** After a failed write, under the commit lock: cuts what the write left beyond the recorded bytes. */
    private void dropUnrecordedBytes(String id) {
        try {
            Optional<UploadState> state = stored.readState(id);
            if (state.isPresent()) {
                store.discardBeyond(id, state.get().received().extent());
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not trim resumable upload " + id, e);
        }
    }

    /**
     * The upload's state, checked against the requester. A complete upload that outlived
     * {@link #DELIVERY_GRACE} is reopened here (its delivery failed or its server stopped).
     *
     * @param completeAllowed whether a complete upload is an answer (status) rather than a 409 (writes)
     */
    private Loaded load(String id, String owner, boolean completeAllowed) throws IOException {
        Loaded loaded = read(id, owner);
        if (loaded.state().complete() && DeliveryGrace.abandoned(loaded.state(), clock.instant())) {
            loaded = reopen(id, owner, completeAllowed, loaded);
        }
        if (loaded.state().complete() && !completeAllowed) {
            throw new UploadRejectedException(409, "upload is already complete");
        }
        return loaded;
    }

    private Loaded reopen(String id, String owner, boolean completeAllowed, Loaded loaded) throws IOException {
        UploadState reopened = loaded.state().recovered(loaded.state().received());
        Optional<String> version = store.replaceState(id, loaded.version(), reopened.toJson());
        if (version.isEmpty()) {
            return read(id, owner);
        }
        LOG.log(System.Logger.Level.INFO, "upload " + id + " was complete but not delivered within "
                + DELIVERY_GRACE.toMinutes() + " min; it is resumable again");
        return new Loaded(reopened, version.get());
    }

    private Loaded read(String id, String owner) throws IOException {
        Optional<StoredState> saved = store.readState(id);
        if (saved.isEmpty()) {
            UploadGoneException gone = endings.find(id, owner);
            if (gone == null) {
                throw new UploadRejectedException(404, "unknown upload id");
            }
            throw gone;
        }
        UploadState state;
        try {
            state = UploadState.fromJson(saved.get().json());
        } catch (IllegalArgumentException corrupt) {
            LOG.log(System.Logger.Level.WARNING, "unreadable state of resumable upload " + id, corrupt);
            throw new UploadRejectedException(404, "unknown upload id");
        }
        if (!state.id().equals(id) || state.owner() != null && !state.owner().equals(owner)) {
            throw new UploadRejectedException(404, "unknown upload id");
        }
        if (state.expiredAt(clock.instant()) && !state.complete()) {
            ReentrantLock lock = stored.lock(id);
            lock.lock();
            try {
                stored.end(id, UploadGoneException.Reason.EXPIRED);
            } finally {
                lock.unlock();
            }
            throw new UploadGoneException(UploadGoneException.Reason.EXPIRED, state.total());
        }
        return new Loaded(state, saved.get().version());
    }

    private void answerQuietly() {
        try {
            leases.answerReleaseRequests();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "reading the requests to let go of uploads failed", e);
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "sweeping resumable uploads failed", e);
        }
    }

    /**
     * An upload found by resume key.
     *
     * @param state   its state
     * @param created whether the call created it
     */
    public record Found(UploadState state, boolean created) {
    }

    private record Loaded(UploadState state, String version) {
    }
}
