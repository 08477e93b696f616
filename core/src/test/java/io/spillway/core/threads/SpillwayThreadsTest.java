package io.spillway.core.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpillwayThreadsTest {

    @Test
    void name_carriesTheRoleAndTheContextPath() {
        assertEquals("spillway-slow-client-watchdog /sample",
                SpillwayThreads.forContext("/sample").name("slow-client-watchdog"));
    }

    @Test
    void name_ofTheRootContext_showsASlash() {
        assertEquals("spillway-memory-probe /", SpillwayThreads.forContext("").name("memory-probe"));
    }

    @Test
    void name_withoutAContext_isTheRoleAlone() {
        assertEquals("spillway-s3-part-sweeper", SpillwayThreads.unscoped().name("s3-part-sweeper"));
    }

    @Test
    void factory_makesNamedDaemonThreads() {
        Thread thread = SpillwayThreads.forContext("/a").factory("memory-probe").newThread(() -> { });
        assertEquals("spillway-memory-probe /a", thread.getName());
        assertTrue(thread.isDaemon());
    }

    @Test
    void single_runsTasksOnItsNamedThread() throws Exception {
        ExecutorService executor = SpillwayThreads.forContext("/b").single("memory-probe");
        try {
            String name = CompletableFuture.supplyAsync(() -> Thread.currentThread().getName(), executor)
                    .get(10, TimeUnit.SECONDS);
            assertEquals("spillway-memory-probe /b", name);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void every_repeatsTheTaskUntilShutDown() throws Exception {
        CountDownLatch rounds = new CountDownLatch(3);
        ScheduledExecutorService executor = SpillwayThreads.unscoped().every("resumable-sweeper",
                Duration.ofMillis(5), rounds::countDown);
        try {
            assertTrue(rounds.await(10, TimeUnit.SECONDS), "three rounds");
        } finally {
            executor.shutdownNow();
        }
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }
}
