package io.spillway.servlet;

import io.spillway.core.config.ConfigParser;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.memory.MemoryBudget;
import io.spillway.core.memory.MemoryProbe;
import io.spillway.core.memory.SampledMemoryProbe;
import io.spillway.core.memory.SystemMemoryProbe;
import io.spillway.core.metrics.UploadMonitor;
import io.spillway.core.multipart.MultipartParser;
import io.spillway.core.progress.ProgressRegistry;
import io.spillway.core.routing.RoutingPolicy;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.threads.SpillwayThreads;
import io.spillway.core.time.Ticker;
import io.spillway.core.upload.MultipartReceiver;
import io.spillway.core.upload.SpillTarget;
import io.spillway.core.upload.SpillTargets;
import io.spillway.core.upload.UploadRecord;
import io.spillway.servlet.protocol.UploadProtocol;
import io.spillway.servlet.resumable.ResumableProtocols;
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
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
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
 * This class keeps the lifecycle and the first step; {@link MultipartUploads} does the others for
 * a multipart upload, {@link ResumableRequests} answers the resumable protocols (Content-Range
 * slices, tus, IETF) until their last byte.
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
    private volatile FilterSettings settings;
    private TempStorage storage;
    private ExecutorService probeRefresher;
    private SampledMemoryProbe probe;
    private MemoryBudget budget;
    private volatile UploadOperations operations;
    private SpillTarget spills;
    private List<UploadProtocol> protocols = List.of();
    private MultipartUploads multipart;
    private ResumableRequests resumable;

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
     * writer stalls, upload speed, the age of a memory reading), so that a test can move either.
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
        probe = new SampledMemoryProbe(memoryProbe != null ? memoryProbe : SystemMemoryProbe.create(), ticker,
                config.probeInterval(), probeRefresher);
        budget = sharedBudget(context);
        settings = new FilterSettings(config, new RoutingPolicy(config, budget));
        try {
            spills = SpillTargets.open(config, storage, this::reservePartBuffer);
        } catch (IOException e) {
            throw new ServletException("cannot open streamedStorage=" + config.streamedStorage() + ": "
                    + e.getMessage(), e);
        }
        MultipartParser parser = Parsers.forRoutes(config);
        MultipartReceiver streamedReceiver = new MultipartReceiver(parser, config, spills, config.digestAlgorithm());
        MultipartReceiver bufferedReceiver = new MultipartReceiver(parser, config, storage, config.digestAlgorithm());
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
        Answers answers = new Answers(operations, this::config);
        Deliveries deliveries = new Deliveries(storage.root());
        FilterServices services = new FilterServices(() -> settings, probe, operations, answers, deliveries, storage);
        multipart = new MultipartUploads(services, spills, streamedReceiver, bufferedReceiver);
        resumable = new ResumableRequests(services);
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
                resumable.handle(protocol, request, response, chain);
                return;
            }
        }
        if (!isMultipartUpload(request)) {
            chain.doFilter(request, response);
            return;
        }
        multipart.handle(request, response, chain);
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
        settings = new FilterSettings(updated, new RoutingPolicy(updated, budget));
        LOG.log(System.Logger.Level.INFO, () -> "Spillway configuration changed through JMX: " + updated.describe());
    }

    /**
     * The part buffers of a remote spill target reserve from the same budget as buffered uploads,
     * against the same capacity: {@code memoryFraction} of the memory available now.
     */
    private Optional<MemoryBudget.Reservation> reservePartBuffer(long bytes) {
        return budget.tryReserve(bytes, (long) (config().memoryFraction() * probe.current().available()));
    }

    private static boolean isMultipartUpload(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && UPLOAD_METHODS.contains(request.getMethod())
                && type.regionMatches(true, 0, "multipart/", 0, "multipart/".length());
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
}
