package io.spillway.servlet.hardening;

import static io.spillway.servlet.hardening.Responses.assertEchoed;
import static io.spillway.servlet.hardening.Responses.part;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.memory.MemoryBudget;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.RawHttpClient;
import io.spillway.servlet.testing.RawHttpClient.Framing;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * THREATS.md 24: many concurrent uploads just under the buffering threshold. The budget is small
 * (16 MiB of heap headroom, half of it for buffers: 8 MiB), so most of them must stream; while they
 * run, a sampler reads the reserved bytes continuously and they never exceed the budget; every
 * upload succeeds with its exact bytes. The application holds the first {@value #CONCURRENCY}
 * requests until all of them have arrived, so that many uploads really are in flight at once
 * however fast the machine is, and the budget must overflow.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BudgetUnderLoadTest {

    private static final int CONCURRENCY = 32;
    private static final long THRESHOLD = 1L << 20;
    private static final long CAPACITY = 8L << 20;

    @TempDir
    Path temp;

    private Target target;
    private ExecutorService clients;

    @BeforeEach
    void start() {
        target = Target.start(temp.resolve("spill"), Map.of("inMemoryThreshold", "1MB", "unknownLengthBuffer", "1MB"),
                new GatedEchoServlet(CONCURRENCY), Target.memory(48L << 20, 64L << 20));
        clients = Executors.newFixedThreadPool(CONCURRENCY);
    }

    @AfterEach
    void stop() {
        clients.shutdownNow();
        target.close();
    }

    @Test
    void uploadsJustUnderTheThreshold_neverReserveMoreThanTheBudget_andOverflowStreams() throws Exception {
        Baseline baseline = target.baseline();
        long overhead = Body.create().generatedFile("doc", "u.bin", 0, 0).close().length();
        long fileSize = THRESHOLD - overhead - 100;
        Result result = runConcurrently(3 * CONCURRENCY, Framing.CONTENT_LENGTH, fileSize);
        assertTrue(result.maxReserved() <= CAPACITY, "reserved at most the budget: " + result);
        assertEquals(CAPACITY, target.filter().budget().lastCapacity(), "the budget the policy computed");
        assertTrue(result.buffered() > 0 && result.streamed() > 0, "some buffered, the overflow streamed: " + result);
        assertTrue(result.maxReserved() > THRESHOLD, "the budget was really shared: " + result);
        baseline.assertRestored();
    }

    @Test
    void chunkedUploads_reserveTheirSmallAllowance_withinTheBudget_andSpill() throws Exception {
        Baseline baseline = target.baseline();
        Result result = runConcurrently(CONCURRENCY, Framing.CHUNKED, 2L << 20);
        assertTrue(result.maxReserved() <= CAPACITY, "reserved at most the budget: " + result);
        assertTrue(result.maxReserved() >= THRESHOLD, "allowances were reserved: " + result);
        assertTrue(result.streamed() > 0, "without an allowance left, uploads stream: " + result);
        baseline.assertRestored();
    }

    private Result runConcurrently(int uploads, Framing framing, long fileSize) throws Exception {
        MemoryBudget budget = target.filter().budget();
        AtomicLong maxReserved = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                maxReserved.accumulateAndGet(budget.reserved(), Math::max);
                LockSupport.parkNanos(50_000);
            }
        }, "budget-sampler");
        sampler.setDaemon(true);
        sampler.start();
        List<Future<Map<String, Object>>> futures = new ArrayList<>();
        for (int i = 0; i < uploads; i++) {
            long seed = 2400 + i;
            futures.add(clients.submit(() -> {
                Body body = Body.create().generatedFile("doc", "u" + seed + ".bin", seed, fileSize).close();
                RawHttpClient.Response response = body.post("/upload").framing(framing).send(target.port());
                Map<String, Object> echo = assertEchoed(response);
                assertEquals(GeneratedStream.sha256Of(seed, fileSize), part(echo, 0).get("sha256"));
                return echo;
            }));
        }
        int buffered = 0;
        int streamed = 0;
        for (Future<Map<String, Object>> future : futures) {
            Map<String, Object> echo = future.get(100, TimeUnit.SECONDS);
            if ("BUFFERED".equals(echo.get("route"))) {
                buffered++;
            } else {
                streamed++;
            }
        }
        running.set(false);
        sampler.join();
        ClientAbortTest.awaitTrue("nothing left on disk", () -> Baseline.files(target.tempDirectory()).isEmpty());
        return new Result(maxReserved.get(), buffered, streamed);
    }

    private record Result(long maxReserved, int buffered, int streamed) {
    }

    /** Echoes parts, but the first {@code arrivals} requests wait for each other before they read. */
    static final class GatedEchoServlet extends PartsEchoServlet {

        private static final long serialVersionUID = 1L;
        private final transient CountDownLatch gate;

        GatedEchoServlet(int arrivals) {
            this.gate = new CountDownLatch(arrivals);
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            gate.countDown();
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("the other concurrent uploads never arrived");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            super.service(request, response);
        }
    }
}
