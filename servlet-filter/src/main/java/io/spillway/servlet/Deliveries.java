package io.spillway.servlet;

import io.spillway.core.upload.ReceivedPart;
import io.spillway.core.upload.UploadRecord;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * How a received upload reaches the application: down the filter chain, with the parts released
 * when the chain returns (or, when the application went asynchronous, when that request ends); or,
 * after a non-blocking intake, by an async dispatch ({@link AsyncIntake#dispatch}), which needs a
 * request that may go asynchronous.
 */
final class Deliveries {

    private static final System.Logger LOG = System.getLogger(MemoryAwareUploadFilter.class.getName());

    private final Path storageRoot;
    private volatile boolean asyncWarned;

    Deliveries(Path storageRoot) {
        this.storageRoot = storageRoot;
    }

    /** Runs the chain with the upload's parts; then releases them and runs {@code release}, once. */
    void toChain(HttpServletRequest request, HttpServletResponse response, FilterChain chain, UploadRecord record,
                 List<ReceivedPart> parts, Runnable release) throws IOException, ServletException {
        boolean async = false;
        try {
            chain.doFilter(UploadRequestWrapper.delivering(request, record, parts, storageRoot), response);
            if (request.isAsyncStarted()) {
                async = true;
                request.getAsyncContext().addListener(AsyncEnd.always(() -> cleanUp(parts, release)));
            }
        } finally {
            if (!async) {
                cleanUp(parts, release);
            }
        }
    }

    /** Whether this request may go asynchronous; says once in the log when it may not. */
    boolean mayGoAsync(HttpServletRequest request) {
        if (request.isAsyncSupported()) {
            return true;
        }
        if (!asyncWarned) {
            asyncWarned = true;
            LOG.log(System.Logger.Level.WARNING, () -> "nonBlockingIntake=true, but the request is not "
                    + "async-supported; uploads are read with a blocking thread. Declare "
                    + "<async-supported>true</async-supported> on the Spillway filter and on every filter before it");
        }
        return false;
    }

    /** Releases the parts' content, then runs {@code release}. */
    static void cleanUp(List<ReceivedPart> parts, Runnable release) {
        parts.forEach(p -> p.content().release());
        release.run();
    }
}
