package io.spillway.servlet;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.activity.ActiveUploads;
import io.spillway.core.config.ConfigParser;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.memory.MemoryBudget;
import io.spillway.core.memory.MemoryProbe;
import io.spillway.core.memory.SampledMemoryProbe;
import io.spillway.core.memory.SystemMemoryProbe;
import io.spillway.core.metrics.UploadMonitor;
import io.spillway.core.multipart.MultipartParser;
import io.spillway.core.progress.ProgressRegistry;
import io.spillway.core.routing.Route;
import io.spillway.core.routing.RoutingPolicy;
import io.spillway.core.routing.UploadFacts;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.threads.SpillwayThreads;
import io.spillway.core.time.Ticker;
import io.spillway.core.upload.BodySpool;
import io.spillway.core.upload.DiskGuard;
import io.spillway.core.upload.MultipartReceiver;
import io.spillway.core.upload.ReceivedPart;
import io.spillway.core.upload.SpillTarget;
import io.spillway.core.upload.SpillTargets;
import io.spillway.core.upload.UploadRecord;
import io.spillway.servlet.protocol.AssembledRequest;
import io.spillway.servlet.protocol.CompletedUpload;
import io.spillway.servlet.protocol.UploadProtocol;
import io.spillway.servlet.resumable.ResumableProtocols;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Routes every upload, on live memory measurements, to an in-memory buffer or to a streaming
 * disk path, behind the unchanged Servlet {@code Part} API. Configured only by init-params (see
 * the README); the request flow is the one in DESIGN.md:
 * <ol>
 *   <li>classify: anything that is not an upload passes through untouched;</li>
 *   <li>admit and route: {@link RoutingPolicy} decides from the declared length, the latest memory
 *       snapshot, the budget and the free disk, before a byte of the body is read;</li>
 *   <li>receive the parts along the route, counting limits on real bytes;</li>
 *   <li>hand the application a request whose {@code getParts()} holds them, with the upload's
 *       facts in the request attribute {@value #UPLOAD_ATTRIBUTE};</li>
 *   <li>finally, on every path: release the reservation and delete what the application did not
 *       keep.</li>
 * </ol>
 * Resumable protocols (Content-Range slices, tus) are answered here until their last byte.
 */
public class MemoryAwareUploadFilter implements Filter {

    /** The request attribute holding the {@link UploadRecord}. */
    public static final String UPLOAD_ATTRIBUTE = "io.spillway.upload";
    /** The servlet-context attribute holding the running filter, for the health and progress servlets. */
    public static final String FILTER_ATTRIBUTE = "io.spillway.filter";

    private static final System.Logger LOG = System.getLogger(MemoryAwareUploadFilter.class.getName());
    private static final String FILTERED = MemoryAwareUploadFilter.class.getName() + ".FILTERED";
    private static final String BUDGET_ATTRIBUTE = "io.spillway.memoryBudget";
    private static final Set<String> UPLOAD_METHODS = Set.of("POST", "PUT", "PATCH");

    private final MemoryProbe memoryProbe;
    private final Clock clock;
    private final Ticker ticker;

    /** The configuration and the policy built from it, swapped together in one write. */
    private volatile Settings settings;
    private TempStorage storage;
    private ExecutorService probeRefresher;
    private SampledMemoryProbe probe;
    private MemoryBudget budget;
    private volatile UploadOperations operations;
    private SpillTarget spills;
    private MultipartReceiver streamedReceiver;
    private MultipartReceiver bufferedReceiver;
    private List<UploadProtocol> protocols = List.of();
    private volatile boolean asyncWarned;

    /** The filter as declared in {@code web.xml}: live memory readings, the system clock and ticker. */
    public MemoryAwareUploadFilter() {
        this(null, Clock.systemUTC());
    }

    /**
     * A filter with an injected memory probe and clock, for programmatic registration and tests;
     * intervals are measured on the system ticker.
     *
     * @param memoryProbe the probe, or null for the system's
     */
    public MemoryAwareUploadFilter(MemoryProbe memoryProbe, Clock clock) {
        this(memoryProbe, clock, Ticker.system());
    }

    /**
     * A filter with an injected memory probe, clock and ticker: the clock gives the dates that are
     * stored or shown (expiry, JSON timestamps), the ticker the intervals (slow-client windows,
     * writer stalls, upload speed), so that a test can move either.
     *
     * @param memoryProbe the probe, or null for the system's
     */
    public MemoryAwareUploadFilter(MemoryProbe memoryProbe, Clock clock, Ticker ticker) {
        this.memoryProbe = memoryProbe;
        this.clock = clock;
        this.ticker = ticker;
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        ServletContext context = filterConfig.getServletContext();
        SpillwayConfig parsed;
        try {
            parsed = new ConfigParser().parse(initParameters(filterConfig));
        } catch (IllegalArgumentException e) {
            throw new ServletException(e.getMessage(), e);
        }
        Path root = parsed.tempDirectory() != null ? parsed.tempDirectory() : defaultTempDirectory(context);
        SpillwayConfig config = parsed.toBuilder().tempDirectory(root).build();
        try {
            storage = TempStorage.open(root);
        } catch (IOException e) {
            throw new ServletException("cannot open tempDirectory " + root + ": " + e.getMessage(), e);
        }
        SpillwayThreads threads = SpillwayThreads.forContext(context.getContextPath());
        probeRefresher = threads.single("memory-probe");
        probe = new SampledMemoryProbe(memoryProbe != null ? memoryProbe : SystemMemoryProbe.create(), clock,
                config.probeInterval(), probeRefresher);
        budget = sharedBudget(context);
        settings = new Settings(config, new RoutingPolicy(config, budget));
        try {
            spills = SpillTargets.open(config, storage, this::reservePartBuffer);
        } catch (IOException e) {
            throw new ServletException("cannot open streamedStorage=" + config.streamedStorage() + ": "
                    + e.getMessage(), e);
        }
        MultipartParser parser = Parsers.forRoutes(config);
        streamedReceiver = new MultipartReceiver(parser, config, spills, config.digestAlgorithm());
        bufferedReceiver = new MultipartReceiver(parser, config, storage, config.digestAlgorithm());
        MultipartReceiver chunkReceiver = spills.isLocal() ? streamedReceiver
                : new MultipartReceiver(parser, config, storage, config.digestAlgorithm());
        try {
            protocols = ResumableProtocols.create(config, storage.root(), clock, ticker, threads, chunkReceiver);
        } catch (IOException e) {
            spills.close();
            throw new ServletException("cannot open the resumable uploads in " + root + ": " + e.getMessage(), e);
        }
        operations = new UploadOperations(config, this::config, clock, ticker, threads, probe, budget, storage);
        operations.registerMBean(context.getContextPath(), filterConfig.getFilterName(), this::reconfigure);
        context.setAttribute(FILTER_ATTRIBUTE, this);
        LOG.log(System.Logger.Level.INFO, () -> "Spillway upload filter '" + filterConfig.getFilterName()
                + "' started: " + config.describe());
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
                || req.getAttribute(FILTERED) != null) {
            chain.doFilter(req, res);
            return;
        }
        request.setAttribute(FILTERED, Boolean.TRUE);
        for (UploadProtocol protocol : protocols) {
            if (protocol.matches(request)) {
                handleProtocol(protocol, request, response, chain);
                return;
            }
        }
        if (!isMultipartUpload(request)) {
            chain.doFilter(request, response);
            return;
        }
        handleMultipart(request, response, chain);
    }

    @Override
    public void destroy() {
        UploadOperations running = operations;
        if (running != null) {
            running.shutdown(config().shutdownTimeout());
        }
        protocols.forEach(UploadProtocol::close);
        if (spills != null) {
            spills.close();
        }
        if (probeRefresher != null) {
            probeRefresher.shutdownNow();
        }
        if (storage != null) {
            try {
                storage.deleteOwnFiles();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not clean the temp directory " + storage.root(), e);
            }
        }
    }

    /** The effective configuration. */
    public SpillwayConfig config() {
        return settings.config();
    }

    /** The budget buffered uploads reserve from (shared by every Spillway filter of the webapp). */
    public MemoryBudget budget() {
        return budget;
    }

    /** The private temp directory. */
    public TempStorage storage() {
        return storage;
    }

    /** The sampled memory probe. */
    public SampledMemoryProbe probe() {
        return probe;
    }

    /** The progress of uploads by progress id (read by {@link UploadProgressServlet}). */
    public ProgressRegistry progress() {
        return operations.progress();
    }

    /** The figures of health and JMX (read by {@link UploadHealthServlet}). */
    public UploadMonitor monitor() {
        return operations.monitor();
    }

    /** Whether {@code init} succeeded and {@code destroy} has not run. */
    public boolean isRunning() {
        return operations != null && !operations.isClosing();
    }

    /**
     * Installs a changed configuration (the JMX knobs): routing decisions from now on use it, each
     * reading one immutable configuration through its policy.
     */
    private void reconfigure(SpillwayConfig updated) {
        settings = new Settings(updated, new RoutingPolicy(updated, budget));
        LOG.log(System.Logger.Level.INFO, () -> "Spillway configuration changed through JMX: " + updated.describe());
    }

    private void handleMultipart(HttpServletRequest original, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        TrackedUpload upload = operations.beginMultipart(original, response);
        if (upload == null) {
            reject(original, response, 503, "server is shutting down", config().retryAfter().toSeconds());
            return;
        }
        try {
            receiveMultipart(upload, response, chain);
        } finally {
            upload.closeUnlessDelivered();
        }
    }

    private void receiveMultipart(TrackedUpload upload, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = upload.request();
        String contentType = request.getContentType();
        String unsupported = unsupportedReason(request, contentType);
        if (unsupported != null) {
            reject(request, response, 415, unsupported, 0);
            return;
        }
        byte[] boundary = MultipartReceiver.boundaryOf(contentType);
        if (boundary == null) {
            reject(request, response, 400, "multipart request without a valid boundary", 0);
            return;
        }
        long length = request.getContentLengthLong();
        UploadFacts facts = length >= 0 ? UploadFacts.ofLength(length) : UploadFacts.unknownLength();
        Settings current = settings;
        Route route = current.policy().decide(facts, probe.current(), spills.usableSpace(), admittedPlusThis());
        upload.routed(route);
        if (route.kind() == Route.Kind.REJECTED) {
            reject(request, response, route.status(), route.reason(), route.retryAfterSeconds());
            return;
        }
        MultipartReceiver receiver = route.kind() == Route.Kind.BUFFERED && facts.lengthKnown()
                ? bufferedReceiver : streamedReceiver;
        if (receiver == streamedReceiver && current.config().nonBlockingIntake() && asyncSupported(request)) {
            intake(upload, response, route, boundary, current.config());
            return;
        }
        List<ReceivedPart> parts;
        try {
            parts = receiver.receive(request.getInputStream(), boundary, route.memoryAllowance(),
                    diskGuard(current.config()));
        } catch (IOException e) {
            route.release();
            refuse(upload, response, e);
            return;
        }
        upload.received();
        deliver(request, response, chain, UploadRecord.of(upload.id(), route.kind(), route.reason(), parts),
                parts, upload.releasing(route::release));
    }

    /**
     * Receives the body without a thread: a {@link NonBlockingIntake} spools it as it arrives, then
     * the parts are parsed from the spool and the request is dispatched (an async dispatch, to the
     * same path) with them. The cleanup runs when that asynchronous request ends, whichever way.
     */
    private void intake(TrackedUpload upload, HttpServletResponse response, Route route, byte[] boundary,
                        SpillwayConfig config) throws IOException {
        BodySpool spool;
        try {
            spool = BodySpool.create(storage, config.maxRequestSize(), diskGuard(config));
        } catch (IOException e) {
            route.release();
            refuse(upload, response, e);
            return;
        }
        AsyncIntake[] intake = new AsyncIntake[1];
        intake[0] = AsyncIntake.start(upload, response, spool, route::release, new NonBlockingIntake.Outcome() {
            @Override
            public void arrived(BodySpool body) {
                parseSpool(upload, response, route, boundary, intake[0]);
            }

            @Override
            public void failed(IOException failure) {
                refuse(upload, response, failure);
                intake[0].complete();
            }
        }, (timedOut, failure) -> endedByContainer(upload, response, timedOut, failure));
    }

    private void parseSpool(TrackedUpload upload, HttpServletResponse response, Route route, byte[] boundary,
                            AsyncIntake intake) {
        HttpServletRequest request = upload.request();
        BodySpool spool = intake.spool();
        try {
            long declared = request.getContentLengthLong();
            if (upload.aborted().isPresent() || declared >= 0 && spool.length() != declared) {
                throw new IOException("body ended after " + spool.length() + " of " + declared + " bytes");
            }
            List<ReceivedPart> parts;
            try (InputStream body = spool.read()) {
                parts = streamedReceiver.receive(body, boundary, route.memoryAllowance(), diskGuard(config()));
            }
            spool.close();
            upload.received();
            intake.dispatch(request, UploadRecord.of(upload.id(), route.kind(), route.reason(), parts), parts,
                    storage.root(), null);
        } catch (IOException | RuntimeException e) {
            refuse(upload, response, e instanceof IOException io ? io : new IOException(e));
            intake.complete();
        }
    }

    /**
     * Answers a request the container ended while its body still arrived: a timeout, which with no
     * timeout set means Tomcat's pause at shutdown (it times out every waiting asynchronous
     * request), or an error on the connection. Answered here, or Tomcat would send its own 500.
     */
    private void endedByContainer(TrackedUpload upload, HttpServletResponse response, boolean timedOut,
                                  Throwable failure) {
        if (timedOut) {
            reject(upload.request(), response, 503, "server is shutting down", retryAfterSeconds());
        } else {
            refuse(upload, response, failure instanceof IOException io ? io : new IOException(failure));
        }
    }

    /**
     * Answers a body that could not be received: the refusal it carries, else the abort the
     * watchdog or a shutdown recorded, else 400.
     */
    private void refuse(TrackedUpload upload, HttpServletResponse response, IOException failure) {
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
        LOG.log(System.Logger.Level.DEBUG, "upload body could not be read", failure);
        reject(request, response, 400, "request body could not be read", 0);
    }

    private DiskGuard diskGuard(SpillwayConfig config) {
        return new DiskGuard(storage::usableSpace, config.diskReserve());
    }

    /** Whether this request may go asynchronous; says once in the log when it may not. */
    private boolean asyncSupported(HttpServletRequest request) {
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

    private void handleProtocol(UploadProtocol protocol, HttpServletRequest original, HttpServletResponse response,
                                FilterChain chain) throws IOException, ServletException {
        TrackedUpload tracked = operations.beginProtocol(original);
        if (tracked == null) {
            reject(original, response, 503, "server is shutting down", config().retryAfter().toSeconds());
            return;
        }
        if (hasBody(original)) {
            Optional<Route> refused = settings.policy().refuseOverCount(probe.current(), admitted());
            if (refused.isPresent()) {
                reject(tracked.request(), response, refused.get().status(), refused.get().reason(),
                        refused.get().retryAfterSeconds());
                tracked.close();
                return;
            }
            if (config().nonBlockingIntake() && asyncSupported(original)) {
                intakeProtocol(protocol, tracked, response);
                return;
            }
        }
        try {
            answerProtocol(protocol, tracked, tracked.request(), response,
                    (request, record, parts, release) -> deliver(request, response, chain, record, parts,
                            tracked.releasing(release)));
        } finally {
            tracked.closeUnlessDelivered();
        }
    }

    /**
     * Receives a resumable request's body without a thread, then lets the protocol handle the
     * request over the spooled body. When the connection failed first, the protocol reads what
     * arrived and then that failure, so it keeps those bytes as after a failed blocking read.
     */
    private void intakeProtocol(UploadProtocol protocol, TrackedUpload tracked, HttpServletResponse response)
            throws IOException {
        BodySpool spool;
        try {
            spool = BodySpool.create(storage, config().maxFileSize(), diskGuard(config()));
        } catch (IOException e) {
            refuse(tracked, response, e);
            tracked.close();
            return;
        }
        AsyncIntake[] intake = new AsyncIntake[1];
        intake[0] = AsyncIntake.start(tracked, response, spool, null, new NonBlockingIntake.Outcome() {
            @Override
            public void arrived(BodySpool body) {
                answerSpooled(protocol, tracked, response, intake[0], null);
            }

            @Override
            public void failed(IOException failure) {
                answerSpooled(protocol, tracked, response, intake[0], failure);
            }
        }, (timedOut, failure) -> {
            if (timedOut) {
                tracked.abort(503, "server is shutting down");
            }
            answerSpooled(protocol, tracked, response, intake[0], new IOException("ended by the container", failure));
        });
    }

    private void answerSpooled(UploadProtocol protocol, TrackedUpload tracked, HttpServletResponse response,
                               AsyncIntake intake, IOException failure) {
        boolean delivered = false;
        if (failure != null) {
            tracked.writesLate();
        }
        try (InputStream body = intake.spool().read()) {
            HttpServletRequest spooled = new SpooledRequest(tracked.request(), body, failure);
            delivered = answerProtocol(protocol, tracked, spooled, response, (request, record, parts, release) ->
                    intake.dispatch(request, record, parts, storage.root(), release));
        } catch (IOException | ServletException | RuntimeException e) {
            refuse(tracked, response, e instanceof IOException io ? io : new IOException(e));
        } finally {
            if (!delivered) {
                intake.complete();
            }
        }
    }

    /**
     * Lets the protocol answer the request; when it completed an upload, delivers it.
     *
     * @return whether an upload was delivered
     */
    private boolean answerProtocol(UploadProtocol protocol, TrackedUpload tracked, HttpServletRequest request,
                                   HttpServletResponse response, Delivery delivery)
            throws IOException, ServletException {
        Optional<CompletedUpload> completed;
        try {
            completed = protocol.handle(request, response);
        } catch (UploadRejectedException e) {
            UploadRejectedException refusal = tracked.aborted().orElse(e);
            reject(request, response, refusal.status(), refusal.reason(), 0);
            return false;
        }
        if (completed.isEmpty()) {
            return false;
        }
        CompletedUpload upload = completed.get();
        List<ReceivedPart> parts;
        try {
            parts = upload.toParts();
        } catch (IOException | RuntimeException e) {
            upload.afterChain().run();
            throw e;
        }
        UploadRecord record = UploadRecord.of(upload.uploadId(), Route.Kind.STREAMED,
                "assembled from resumable upload " + upload.uploadId(), parts);
        tracked.receivedResumable();
        delivery.deliver(new AssembledRequest(request), record, parts, upload.afterChain());
        return true;
    }

    /** How an upload reaches the application: down the chain, or by an async dispatch after an intake. */
    @FunctionalInterface
    private interface Delivery {
        void deliver(HttpServletRequest request, UploadRecord record, List<ReceivedPart> parts, Runnable release)
                throws IOException, ServletException;
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private void deliver(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                         UploadRecord record, List<ReceivedPart> parts, Runnable release)
            throws IOException, ServletException {
        boolean async = false;
        try {
            List<SpillwayPart> servletParts = new ArrayList<>(parts.size());
            parts.forEach(p -> servletParts.add(new SpillwayPart(p, storage.root())));
            request.setAttribute(UPLOAD_ATTRIBUTE, record);
            chain.doFilter(new UploadRequestWrapper(request, servletParts), response);
            if (request.isAsyncStarted()) {
                async = true;
                request.getAsyncContext().addListener(new CleanupOnAsyncEnd(() -> cleanUp(parts, release)));
            }
        } finally {
            if (!async) {
                cleanUp(parts, release);
            }
        }
    }

    private static void cleanUp(List<ReceivedPart> parts, Runnable release) {
        parts.forEach(p -> p.content().release());
        release.run();
    }

    /**
     * The part buffers of a remote spill target reserve from the same budget as buffered uploads,
     * against the same capacity: {@code memoryFraction} of the memory available now.
     */
    private Optional<MemoryBudget.Reservation> reservePartBuffer(long bytes) {
        return budget.tryReserve(bytes, (long) (config().memoryFraction() * probe.current().available()));
    }

    /**
     * The uploads in flight that were admitted, plus this one. Uploads still waiting for their
     * routing decision do not count: when many arrive at once, each would otherwise count all the
     * others and every one of them would be refused.
     */
    private int admittedPlusThis() {
        return admitted() + 1;
    }

    /** The uploads in flight that were admitted: resumable requests are, from their start. */
    private int admitted() {
        ActiveUploads active = operations.monitor().active();
        return active.count() - active.countOnRoute(TrackedUpload.ROUTING);
    }

    private long retryAfterSeconds() {
        return Math.max(1, config().retryAfter().toSeconds());
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, int status, String reason,
                        long retryAfterSeconds) {
        operations.rejected(request, response, status, reason);
        ErrorResponses.send(request, response, status, reason, retryAfterSeconds);
        if (config().nonBlockingIntake() && hasBody(request)) {
            AsyncIntake.discardAfterRefusal(request, response);
        }
    }

    private static boolean isMultipartUpload(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && UPLOAD_METHODS.contains(request.getMethod())
                && type.regionMatches(true, 0, "multipart/", 0, "multipart/".length());
    }

    private static String unsupportedReason(HttpServletRequest request, String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        if (!type.startsWith("multipart/form-data") && !type.startsWith("multipart/mixed")) {
            return "unsupported multipart type; send multipart/form-data";
        }
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            return "unsupported Content-Encoding for uploads; send the body unencoded";
        }
        return null;
    }

    private static Map<String, String> initParameters(FilterConfig filterConfig) {
        Map<String, String> values = new HashMap<>();
        for (String name : Collections.list(filterConfig.getInitParameterNames())) {
            values.put(name, filterConfig.getInitParameter(name));
        }
        return values;
    }

    private static Path defaultTempDirectory(ServletContext context) {
        Object dir = context.getAttribute(ServletContext.TEMPDIR);
        Path base = dir instanceof File file ? file.toPath() : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("spillway");
    }

    private static MemoryBudget sharedBudget(ServletContext context) {
        synchronized (context) {
            Object existing = context.getAttribute(BUDGET_ATTRIBUTE);
            if (existing instanceof MemoryBudget shared) {
                return shared;
            }
            MemoryBudget created = new MemoryBudget();
            context.setAttribute(BUDGET_ATTRIBUTE, created);
            return created;
        }
    }

    /** Cleans up once an asynchronous request has ended, whichever way. */
    private record CleanupOnAsyncEnd(Runnable cleanup) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            cleanup.run();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            cleanup.run();
        }

        @Override
        public void onError(AsyncEvent event) {
            cleanup.run();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    /** One immutable configuration and the routing policy built from it: a decision reads both at once. */
    private record Settings(SpillwayConfig config, RoutingPolicy policy) {
    }
}
