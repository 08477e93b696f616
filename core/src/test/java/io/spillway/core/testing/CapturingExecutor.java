package io.spillway.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * An {@link Executor} that only records what it is given, so a test decides when (and on which
 * thread) background work runs. Thread-safe.
 */
public final class CapturingExecutor implements Executor {

    private final List<Runnable> pending = new ArrayList<>();
    private int submitted;

    @Override
    public synchronized void execute(Runnable task) {
        pending.add(task);
        submitted++;
    }

    /** How many tasks were handed over since this executor was made, run or not. */
    public synchronized int submitted() {
        return submitted;
    }

    /** How many tasks wait to be run. */
    public synchronized int pending() {
        return pending.size();
    }

    /** Runs every waiting task on the calling thread. */
    public void runAll() {
        List<Runnable> tasks;
        synchronized (this) {
            tasks = new ArrayList<>(pending);
            pending.clear();
        }
        tasks.forEach(Runnable::run);
    }
}
