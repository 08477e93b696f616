package io.spillway.core.threads;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Every thread Spillway starts is made here. Each is a daemon (it never keeps a JVM from
 * stopping) and is named {@code spillway-<role>}, followed by the scope when there is one,
 * usually the webapp's context path: {@code spillway-slow-client-watchdog /sample}. A thread dump
 * then tells which job and which webapp a thread belongs to, with several webapps in one
 * container.
 */
public final class SpillwayThreads {

    private static final SpillwayThreads UNSCOPED = new SpillwayThreads("");

    private final String scope;

    private SpillwayThreads(String scope) {
        this.scope = scope;
    }

    /** Threads named by their role alone, where no webapp is known. */
    public static SpillwayThreads unscoped() {
        return UNSCOPED;
    }

    /**
     * Threads of one webapp.
     *
     * @param contextPath the servlet context path; the root context's empty path is shown as {@code /}
     */
    public static SpillwayThreads forContext(String contextPath) {
        return new SpillwayThreads(contextPath == null || contextPath.isEmpty() ? "/" : contextPath);
    }

    /** The name of the thread of a role, e.g. {@code spillway-memory-probe /sample}. */
    public String name(String role) {
        return scope.isEmpty() ? "spillway-" + role : "spillway-" + role + " " + scope;
    }

    /** Makes daemon threads named for the role. */
    public ThreadFactory factory(String role) {
        String name = name(role);
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One daemon thread that runs tasks in turn. */
    public ExecutorService single(String role) {
        return Executors.newSingleThreadExecutor(factory(role));
    }

    /** One daemon thread that runs scheduled tasks. */
    public ScheduledExecutorService scheduler(String role) {
        return Executors.newSingleThreadScheduledExecutor(factory(role));
    }

    /**
     * One daemon thread that runs {@code task} every {@code interval} (at least 1 ms), first after
     * one interval, until the executor is shut down.
     */
    public ScheduledExecutorService every(String role, Duration interval, Runnable task) {
        ScheduledExecutorService executor = scheduler(role);
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
        return executor;
    }
}
