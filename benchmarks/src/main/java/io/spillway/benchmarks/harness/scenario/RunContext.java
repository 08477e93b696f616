package io.spillway.benchmarks.harness.scenario;

import io.spillway.benchmarks.harness.CpuAccounting;
import io.spillway.benchmarks.harness.Profile;
import io.spillway.benchmarks.harness.ServerKind;
import io.spillway.benchmarks.harness.ServerProcess;
import io.spillway.benchmarks.harness.client.StatsReader;
import io.spillway.benchmarks.harness.client.UploadClient;
import io.spillway.benchmarks.harness.client.UploadPayload;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What every scenario shares: sizes, the client, where servers live, and the progress output. */
public final class RunContext {

    private static final long FIRST_SEED = 0x5B111A7L;

    private final Profile profile;
    private final UploadClient client;
    private final StatsReader stats;
    private final Path workRoot;
    private final CpuAccounting cpu;
    private final boolean flightRecordings;
    private final Map<String, String> spillwayParams;
    private final PrintStream progress;
    private final AtomicLong seeds = new AtomicLong(FIRST_SEED);
    private final long started = System.nanoTime();

    /**
     * Creates the context of one harness run.
     *
     * @param spillwayParams init-params for every Spillway server, under each scenario's own
     */
    public RunContext(Profile profile, UploadClient client, Path workRoot, CpuAccounting cpu, boolean flightRecordings,
                      Map<String, String> spillwayParams, PrintStream progress) {
        this.profile = profile;
        this.client = client;
        this.stats = new StatsReader(client.http());
        this.workRoot = workRoot;
        this.cpu = cpu;
        this.flightRecordings = flightRecordings;
        this.spillwayParams = spillwayParams;
        this.progress = progress;
    }

    Profile profile() {
        return profile;
    }

    UploadClient client() {
        return client;
    }

    StatsReader stats() {
        return stats;
    }

    /** A payload of {@code size} bytes with fresh content, digested the way {@code server} digests it. */
    UploadPayload payload(ServerKind server, long size) {
        return new UploadPayload(seeds.getAndIncrement(), size, server.digestsWholeBody());
    }

    /** Forks a server JVM; a Spillway server also gets the run's {@code --spillway} init-params. */
    public ServerProcess startServer(ServerKind kind, String heap, Map<String, String> initParams, String label) throws IOException {
        Map<String, String> params = new HashMap<>(kind == ServerKind.A ? spillwayParams : Map.of());
        params.putAll(initParams);
        return ServerProcess.start(kind, heap, params, workRoot, label, cpu, flightRecordings);
    }

    /** Prints a progress line, prefixed with the seconds since the run started. */
    void say(String format, Object... args) {
        progress.println(String.format(Locale.ROOT, "[%5.0fs] ", (System.nanoTime() - started) / 1e9) + String.format(Locale.ROOT, format, args));
        progress.flush();
    }
}
