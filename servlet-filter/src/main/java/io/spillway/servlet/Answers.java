package io.spillway.servlet;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.SpillwayConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How the filter refuses an upload: counted and logged by the operations side, answered with a
 * status and a short reason ({@link ErrorResponses}), and, with {@code nonBlockingIntake}, the
 * unread rest of the body thrown away without holding a thread.
 */
final class Answers {

    private static final System.Logger LOG = System.getLogger(MemoryAwareUploadFilter.class.getName());

    private final UploadOperations operations;
    private final Supplier<SpillwayConfig> config;

    Answers(UploadOperations operations, Supplier<SpillwayConfig> config) {
        this.operations = operations;
        this.config = config;
    }

    /** Refuses the request with a status, a reason and, when positive, a {@code Retry-After}. */
    void reject(HttpServletRequest request, HttpServletResponse response, int status, String reason,
                long retryAfterSeconds) {
        operations.rejected(request, response, status, reason);
        ErrorResponses.send(request, response, status, reason, retryAfterSeconds);
        if (config.get().nonBlockingIntake() && hasBody(request)) {
            AsyncIntake.discardAfterRefusal(request, response);
        }
    }

    /** 503 with {@code Retry-After}: the filter is stopping and takes no new upload. */
    void shuttingDown(HttpServletRequest request, HttpServletResponse response) {
        reject(request, response, 503, "server is shutting down", retryAfterSeconds());
    }

    /**
     * Answers a body that could not be received (or, after an intake, delivered): the refusal it
     * carries, else the abort the watchdog or a shutdown recorded, else 503 while shutting down
     * (a stopping container may no longer dispatch to the application), else 400.
     */
    void refuse(TrackedUpload upload, HttpServletResponse response, Throwable failure) {
        HttpServletRequest request = upload.request();
        if (failure instanceof UploadRejectedException e) {
            reject(request, response, e.status(), e.reason(), e.status() == 503 ? retryAfterSeconds() : 0);
            return;
        }
        Optional<UploadRejectedException> aborted = upload.aborted();
        if (aborted.isPresent()) {
            reject(request, response, aborted.get().status(), aborted.get().reason(), 0);
            return;
        }
        if (operations.isClosing()) {
            LOG.log(System.Logger.Level.DEBUG, "upload could not be received or delivered while shutting down", failure);
            shuttingDown(request, response);
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "upload body could not be read", failure);
        reject(request, response, 400, "request body could not be read", 0);
    }

    /** Whether the request announces a body (a length above zero, or chunked). */
    static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private long retryAfterSeconds() {
        return Math.max(1, config.get().retryAfter().toSeconds());
    }
}
