package io.spillway.core.progress;

import io.spillway.core.activity.ThroughputWindow;
import io.spillway.core.time.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The live progress of one upload, fed by the thread that reads its body and read by whoever
 * polls. A single-request upload has one of these for one request; a resumable upload keeps one
 * across its requests (see {@link ProgressRegistry#resume}).
 *
 * <p>Counting a read costs an atomic add and a ticker read; a speed sample is kept at most every
 * {@value #SAMPLE_SPACING_MILLIS} ms. Speed, ETA and retention are measured on the monotonic
 * {@link Ticker}; the wall clock is read once, at the start, and the timestamps shown are that
 * instant plus the ticker's elapsed time, so a change of the system time never distorts a speed.
 */
public final class UploadProgress implements LongConsumer {

    /** The speed is measured over this many milliseconds. */
    public static final long SPEED_WINDOW_MILLIS = 5_000;
    static final long SAMPLE_SPACING_MILLIS = 250;

    private final String id;
    private final Ticker ticker;
    private final Instant startedAt;
    private final long startedMillis;
    private final AtomicLong received = new AtomicLong();
    private final ThroughputWindow window;
    private volatile long nextSampleMillis;
    private volatile long total;
    private volatile String route;
    private volatile UploadState state = UploadState.RECEIVING;
    private volatile int failureStatus;
    private volatile String failureReason;
    private volatile long updatedMillis;
    private volatile long finishedMillis;
    private int requests;

    UploadProgress(String id, Clock clock, Ticker ticker, long total) {
        this.id = id;
        this.ticker = ticker;
        this.total = total;
        this.startedAt = clock.instant();
        this.startedMillis = ticker.millis();
        this.updatedMillis = startedMillis;
        this.nextSampleMillis = startedMillis;
        this.window = new ThroughputWindow(startedMillis, SAMPLE_SPACING_MILLIS,
                (int) (SPEED_WINDOW_MILLIS / SAMPLE_SPACING_MILLIS) + 4);
    }

    /** The progress id. */
    public String id() {
        return id;
    }

    public UploadState state() {
        return state;
    }

    /** Counts body bytes that just arrived. */
    public void add(long bytes) {
        long now = ticker.millis();
        long count = received.addAndGet(bytes);
        updatedMillis = now;
        if (now >= nextSampleMillis) {
            nextSampleMillis = now + SAMPLE_SPACING_MILLIS;
            window.record(now, count);
        }
    }

    @Override
    public void accept(long bytes) {
        add(bytes);
    }

    /** Sets the route label (BUFFERED, STREAMED) once it is decided. */
    public void route(String label) {
        route = label;
        touch();
    }

    /** Sets the expected total, or -1 when unknown. */
    public void total(long bytes) {
        total = bytes;
    }

    /**
     * What a resumable protocol's engine reports as stored after a request: the total (or -1 to
     * keep the known one) and the bytes stored without a gap from offset 0.
     */
    public void stored(long expectedTotal, long bytes) {
        if (expectedTotal >= 0) {
            total = expectedTotal;
        }
        received.set(bytes);
        touch();
    }

    /** Every byte has arrived; the pieces are being put together. */
    public void assembling() {
        if (!state.isFinal()) {
            state = UploadState.ASSEMBLING;
            touch();
        }
    }

    /** The upload is complete; an unknown total becomes the bytes received. */
    public void done() {
        if (state.isFinal()) {
            return;
        }
        long now = ticker.millis();
        if (total < 0) {
            total = received.get();
        }
        finishedMillis = now;
        updatedMillis = now;
        state = UploadState.DONE;
    }

    /** The upload failed; a later call, or one after {@link #done()}, changes nothing. */
    public void failed(int status, String reason) {
        if (state.isFinal()) {
            return;
        }
        long now = ticker.millis();
        failureStatus = status;
        failureReason = reason;
        finishedMillis = now;
        updatedMillis = now;
        state = UploadState.FAILED;
    }

    /** A request stopped feeding this progress; the retention time counts from the last one. */
    public synchronized void detach() {
        requests = Math.max(0, requests - 1);
        touch();
    }

    /** Reads the progress now. */
    public ProgressSnapshot snapshot() {
        UploadState current = state;
        long now = ticker.millis();
        long moment = current.isFinal() ? finishedMillis : now;
        long bytes = received.get();
        long expected = total;
        long speed = speedAt(moment, bytes);
        long eta;
        if (current.isFinal() || current == UploadState.ASSEMBLING) {
            eta = current == UploadState.FAILED ? -1 : 0;
        } else if (expected >= 0 && bytes >= expected) {
            eta = 0;
        } else if (expected >= 0 && speed > 0) {
            eta = (expected - bytes + speed - 1) / speed;
        } else {
            eta = -1;
        }
        return new ProgressSnapshot(id, current, bytes, expected, route, speed, eta, failureStatus, failureReason,
                startedAt, startedAt.plusMillis(updatedMillis - startedMillis));
    }

    synchronized void attach() {
        requests++;
    }

    /** Attaches one more request of a resumable upload, with the bytes already stored before it. */
    synchronized void resume(long expectedTotal, long alreadyStored) {
        requests++;
        if (expectedTotal >= 0) {
            total = expectedTotal;
        }
        received.set(alreadyStored);
        if (requests == 1) {
            long now = ticker.millis();
            window.restart(now, alreadyStored);
            nextSampleMillis = now + SAMPLE_SPACING_MILLIS;
        }
        touch();
    }

    synchronized boolean isAttached() {
        return requests > 0;
    }

    synchronized boolean isExpired(long nowMillis, long retentionMillis) {
        return requests == 0 && nowMillis - updatedMillis >= retentionMillis;
    }

    long updatedMillis() {
        return updatedMillis;
    }

    private long speedAt(long moment, long bytes) {
        ThroughputWindow.Sample base = window.at(moment - SPEED_WINDOW_MILLIS);
        long elapsed = moment - base.millis();
        return elapsed <= 0 ? 0 : Math.max(0, (bytes - base.total()) * 1000 / elapsed);
    }

    private void touch() {
        updatedMillis = ticker.millis();
    }
}
