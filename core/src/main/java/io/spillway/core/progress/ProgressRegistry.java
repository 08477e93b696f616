package io.spillway.core.progress;

import io.spillway.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress of every upload of one filter, by progress id, for {@code UploadProgressServlet}.
 *
 * <p>An entry lives while a request feeds it, then for {@code retention} after its last activity
 * (the end of the upload, or the last request of a paused resumable upload), then it is
 * forgotten. At most {@code maxRetained} idle entries are kept; the oldest go first, so a flood of
 * tiny uploads cannot grow the map without bound. Expiry happens as the registry is used (at
 * most once a second for the whole map, and exactly for the id asked for): no thread.
 */
public final class ProgressRegistry {

    /** Idle entries kept at most. */
    public static final int DEFAULT_MAX_RETAINED = 10_000;
    private static final long SWEEP_EVERY_MILLIS = 1_000;

    private final ConcurrentHashMap<String, UploadProgress> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Ticker ticker;
    private final long retentionMillis;
    private final int maxRetained;
    private final AtomicLong nextSweep = new AtomicLong();

    /**
     * @param clock     the wall clock of the timestamps shown
     * @param ticker    the time speed, ETA and retention are measured on
     * @param retention how long an idle entry is kept after its last request
     */
    public ProgressRegistry(Clock clock, Ticker ticker, Duration retention) {
        this(clock, ticker, retention, DEFAULT_MAX_RETAINED);
    }

    /**
     * A registry like {@link #ProgressRegistry(Clock, Ticker, Duration)} that keeps at most
     * {@code maxRetained} idle entries.
     */
    public ProgressRegistry(Clock clock, Ticker ticker, Duration retention, int maxRetained) {
        this.clock = clock;
        this.ticker = ticker;
        this.nextSweep.set(ticker.millis());
        this.retentionMillis = retention.toMillis();
        this.maxRetained = maxRetained;
    }

    /**
     * Starts the progress of a single-request upload, replacing an idle entry of the same id.
     *
     * @param total the declared body length, or -1
     * @return the new entry, or empty when a request in flight uses the id right now
     */
    public Optional<UploadProgress> start(String id, long total) {
        sweep();
        UploadProgress fresh = new UploadProgress(id, clock, ticker, total);
        fresh.attach();
        UploadProgress kept = entries.compute(id, (key, existing) ->
                existing != null && existing.isAttached() ? existing : fresh);
        return kept == fresh ? Optional.of(fresh) : Optional.empty();
    }

    /**
     * Attaches one request of a resumable upload to its progress, creating it when needed (the
     * first request, or after it was forgotten). A finished entry of the same id is replaced.
     *
     * @param total         the upload's total length, or -1 when not known yet (a known one is kept)
     * @param alreadyStored bytes stored before this request
     */
    public UploadProgress resume(String id, long total, long alreadyStored) {
        sweep();
        UploadProgress progress = entries.compute(id, (key, existing) ->
                existing != null && !existing.state().isFinal() ? existing
                        : new UploadProgress(id, clock, ticker, total));
        progress.resume(total, alreadyStored);
        return progress;
    }

    /** The progress of an id, or empty when unknown or forgotten. */
    public Optional<ProgressSnapshot> snapshot(String id) {
        sweep();
        UploadProgress progress = entries.get(id);
        if (progress == null) {
            return Optional.empty();
        }
        if (progress.isExpired(ticker.millis(), retentionMillis)) {
            entries.remove(id, progress);
            return Optional.empty();
        }
        return Optional.of(progress.snapshot());
    }

    /** Entries held now (in flight and retained). */
    public int size() {
        return entries.size();
    }

    private void sweep() {
        long now = ticker.millis();
        long due = nextSweep.get();
        if (now < due || !nextSweep.compareAndSet(due, now + Math.min(SWEEP_EVERY_MILLIS, Math.max(1, retentionMillis)))) {
            return;
        }
        entries.forEach((id, progress) -> {
            if (progress.isExpired(now, retentionMillis)) {
                entries.remove(id, progress);
            }
        });
        if (entries.size() > maxRetained) {
            trimOldest(entries.size() - maxRetained * 9 / 10);
        }
    }

    private void trimOldest(int count) {
        List<UploadProgress> idle = entries.values().stream()
                .filter(p -> !p.isAttached())
                .sorted(Comparator.comparingLong(UploadProgress::updatedMillis))
                .limit(count)
                .toList();
        idle.forEach(p -> entries.remove(p.id(), p));
    }
}
