package io.spillway.servlet.resumable;

import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.resumable.ResumableUploads;
import io.spillway.core.storage.LocalResumableStore;
import io.spillway.core.storage.ResumableStore;
import io.spillway.core.storage.ResumableStores;
import io.spillway.core.threads.SpillwayThreads;
import io.spillway.core.time.Ticker;
import io.spillway.core.upload.MultipartReceiver;
import io.spillway.servlet.protocol.UploadProtocol;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Builds the resumable protocols of one filter over one shared engine and store: tus 1.0 first
 * (it is recognised by {@code Tus-Resumable}), then IETF Resumable Uploads (by
 * {@code Upload-Draft-Interop-Version}), then Content-Range slices.
 */
public final class ResumableProtocols {

    /** Name of the staging subdirectory of the store, where request bodies are received. */
    public static final String STAGING = "staging";

    private static final Duration LONGEST_SWEEP_INTERVAL = Duration.ofMinutes(10);
    private static final Duration SHORTEST_SWEEP_INTERVAL = Duration.ofSeconds(1);

    private ResumableProtocols() {
    }

    /**
     * Opens the store of {@code config.storage()} (by default the local one in
     * {@code <tempRoot>/resumable/}; see {@link ResumableStores#open}), recovers what a previous run left (see
     * {@link ResumableUploads#open}), starts the expiry sweeper (every tenth of
     * {@code uploadExpiry}, between 1 s and 10 min) and returns the protocols. Closing either
     * protocol stops the sweeper.
     *
     * @param clock     the wall clock of expiry dates
     * @param ticker    the time writer stalls are measured on
     * @param threads   where the sweeper's and the release watcher's threads come from
     * @param multipart reads multipart chunks (blueimp sends the slice as a form's file part)
     */
    public static List<UploadProtocol> create(SpillwayConfig config, Path tempRoot, Clock clock, Ticker ticker,
                                              SpillwayThreads threads, MultipartReceiver multipart)
            throws IOException {
        ResumableStore store = ResumableStores.open(config, tempRoot);
        Path staging = store instanceof LocalResumableStore local ? local.root().resolve(STAGING)
                : tempRoot.resolve(ResumableStores.REMOTE_DIRECTORY).resolve(STAGING);
        ResumableUploads uploads = ResumableUploads.open(store, staging, config, clock, ticker, threads);
        uploads.startSweeping(sweepInterval(config.uploadExpiry()));
        LongSupplier usableSpace = () -> {
            try {
                return store.usableSpace();
            } catch (IOException unknown) {
                return 0;
            }
        };
        return List.of(new TusProtocol(uploads), new IetfResumableProtocol(uploads),
                new ContentRangeProtocol(uploads, multipart, usableSpace));
    }

    static Duration sweepInterval(Duration expiry) {
        Duration tenth = expiry.dividedBy(10);
        if (tenth.compareTo(SHORTEST_SWEEP_INTERVAL) < 0) {
            return SHORTEST_SWEEP_INTERVAL;
        }
        return tenth.compareTo(LONGEST_SWEEP_INTERVAL) > 0 ? LONGEST_SWEEP_INTERVAL : tenth;
    }
}
