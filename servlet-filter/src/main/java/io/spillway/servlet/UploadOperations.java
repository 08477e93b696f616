package io.spillway.servlet;

import io.spillway.core.activity.ActiveUpload;
import io.spillway.core.activity.ActiveUploads;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.memory.MemoryBudget;
import io.spillway.core.memory.SampledMemoryProbe;
import io.spillway.core.metrics.JmxRegistration;
import io.spillway.core.metrics.UploadCounters;
import io.spillway.core.metrics.UploadFilterMetrics;
import io.spillway.core.metrics.UploadMonitor;
import io.spillway.core.progress.ProgressIds;
import io.spillway.core.progress.ProgressRegistry;
import io.spillway.core.progress.UploadProgress;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.threads.SpillwayThreads;
import io.spillway.core.time.Ticker;
import io.spillway.servlet.protocol.UploadTracker;
import io.spillway.servlet.protocol.UploadTracking;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.management.JMException;

/**
 * The operations side of one filter: uploads in flight, the slow-client watchdog, progress,
 * counters, the JMX bean, the rejection log and the graceful shutdown. The filter holds one and
 * calls it at each stage of a request, so that its own code stays the request flow.
 */
final class UploadOperations {

    /** Query parameter a browser may use to pick the progress id. */
    static final String PROGRESS_PARAMETER = "progressId";
    /** Request header a browser may use to pick the progress id; the response carries the id used. */
    static final String PROGRESS_HEADER = "X-Progress-Id";
    /** How long a shutdown waits for aborted uploads to unwind. */
    static final Duration ABORT_GRACE = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger(MemoryAwareUploadFilter.class.getName());
    private static final int MAX_LOGGED_TEXT = 200;

    private final ProgressRegistry progress;
    private final UploadCounters counters = new UploadCounters();
    private final ActiveUploads active;
    private final UploadMonitor monitor;
    private volatile JmxRegistration jmx;
    private volatile boolean closing;

    UploadOperations(SpillwayConfig config, Supplier<SpillwayConfig> liveConfig, Clock clock, Ticker ticker,
                     SpillwayThreads threads, SampledMemoryProbe probe, MemoryBudget budget, TempStorage storage) {
        this.progress = new ProgressRegistry(clock, ticker, config.progressRetention());
        this.active = new ActiveUploads(config.minUploadRate(), config.minRateWindow(), ticker);
        active.startWatchdog(threads);
        this.monitor = new UploadMonitor(probe, budget, liveConfig, counters, active, storage);
    }

    /** Registers the MXBean; a failure is logged, never fatal (metrics are not worth a dead webapp). */
    void registerMBean(String contextPath, String filterName, Consumer<SpillwayConfig> reconfigure) {
        try {
            jmx = JmxRegistration.register(contextPath, filterName, new UploadFilterMetrics(monitor, reconfigure));
            LOG.log(System.Logger.Level.DEBUG, () -> "registered " + jmx.name());
        } catch (JMException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not register the Spillway MBean: " + e.getMessage(), e);
        }
    }

    boolean isClosing() {
        return closing;
    }

    ProgressRegistry progress() {
        return progress;
    }

    UploadMonitor monitor() {
        return monitor;
    }

    /**
     * Starts tracking a multipart upload: picks its progress id (the client's, when valid and not
     * in use by an upload in flight, else a server id), answers it in {@value #PROGRESS_HEADER}.
     *
     * @return the tracked upload, or null while shutting down
     */
    TrackedUpload beginMultipart(HttpServletRequest request, HttpServletResponse response) {
        if (closing) {
            return null;
        }
        long total = request.getContentLengthLong();
        String requested = requestedProgressId(request);
        String id = ProgressIds.isValid(requested) ? requested : ProgressIds.newId();
        Optional<UploadProgress> started = progress.start(id, total);
        if (started.isEmpty()) {
            id = ProgressIds.newId();
            started = progress.start(id, total);
        }
        response.setHeader(PROGRESS_HEADER, id);
        return track(request, new TrackedUpload(id, begin(request, TrackedUpload.ROUTING), request, counters, progress,
                started.orElseThrow()));
    }

    /**
     * Starts tracking a resumable protocol request; the protocol attaches the progress of its
     * upload id through {@link UploadTracking}.
     *
     * @return the tracked upload, or null while shutting down
     */
    TrackedUpload beginProtocol(HttpServletRequest request) {
        if (closing) {
            return null;
        }
        return track(request, new TrackedUpload(null, begin(request, TrackedUpload.RESUMABLE), request, counters,
                progress, null));
    }

    /**
     * The uploads in flight that were admitted: resumable requests are, from their start. Uploads
     * still waiting for their routing decision do not count: when many arrive at once, each would
     * otherwise count all the others and every one of them would be refused.
     */
    int admitted() {
        return active.count() - active.countOnRoute(TrackedUpload.ROUTING);
    }

    /** Counts and logs a refusal (one line, client text escaped) and fails the upload's progress. */
    void rejected(HttpServletRequest request, HttpServletResponse response, int status, String reason) {
        counters.rejected(status);
        TrackedUpload upload = tracked(request);
        if (upload != null) {
            upload.failed(status, reason);
            upload.beforeRefusal(request, response);
        }
        System.Logger.Level level = status >= 500 ? System.Logger.Level.WARNING : System.Logger.Level.INFO;
        if (LOG.isLoggable(level)) {
            LOG.log(level, "upload rejected: " + status + " " + escape(reason) + " [" + request.getMethod() + " "
                    + escape(request.getRequestURI()) + " from " + escape(request.getRemoteAddr())
                    + (upload != null && upload.id() != null ? ", upload " + upload.id() : "") + "]");
        }
    }

    /**
     * Stops taking uploads, waits up to {@code timeout} for those in flight, aborts the rest with
     * 503 (a read blocked in a socket is woken), waits {@link #ABORT_GRACE} for them to unwind,
     * then stops the watchdog and unregisters the MXBean. Safe to call more than once.
     */
    void shutdown(Duration timeout) {
        closing = true;
        try {
            if (!active.awaitIdle(timeout)) {
                int aborted = active.abortAll(503, "server is shutting down");
                LOG.log(System.Logger.Level.WARNING, () -> "shutdown: aborted " + aborted
                        + " upload(s) still in flight after " + timeout.toMillis() + " ms");
                if (!active.awaitIdle(ABORT_GRACE)) {
                    LOG.log(System.Logger.Level.WARNING, () -> "shutdown: " + active.count()
                            + " upload(s) still held by the application");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            active.abortAll(503, "server is shutting down");
        } finally {
            active.close();
            JmxRegistration registration = jmx;
            jmx = null;
            if (registration != null) {
                registration.close();
            }
        }
    }

    /** The tracked upload of a request, or null. */
    static TrackedUpload tracked(ServletRequest request) {
        return request.getAttribute(UploadTracker.ATTRIBUTE) instanceof TrackedUpload upload ? upload : null;
    }

    private ActiveUpload begin(HttpServletRequest request, String route) {
        return active.begin(route, ReadUnblocker.forRequest(request));
    }

    private static TrackedUpload track(HttpServletRequest request, TrackedUpload upload) {
        request.setAttribute(UploadTracker.ATTRIBUTE, upload);
        return upload;
    }

    /**
     * The id from the header, else from the query string, read without {@code getParameter} (which
     * could make the container parse the multipart body itself).
     */
    static String requestedProgressId(HttpServletRequest request) {
        String header = request.getHeader(PROGRESS_HEADER);
        if (header != null) {
            return header.trim();
        }
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(PROGRESS_PARAMETER + "=")) {
                try {
                    return URLDecoder.decode(pair.substring(PROGRESS_PARAMETER.length() + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Client text made safe for one log line: printable ASCII kept, the rest escaped, length capped. */
    static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LOGGED_TEXT) + 16);
        for (int i = 0; i < text.length() && out.length() < MAX_LOGGED_TEXT; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                out.append(c);
            } else if (c == '\\') {
                out.append("\\\\");
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (out.length() >= MAX_LOGGED_TEXT && text.length() > MAX_LOGGED_TEXT) {
            out.append("...");
        }
        return out.toString();
    }
}
