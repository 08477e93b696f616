package io.spillway.core.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Waiting on a test's {@link CountDownLatch} from a place that cannot throw
 * {@link InterruptedException}, such as a stubbed stream or callback: it waits at most 30 seconds,
 * so that a gate the test forgot to open fails the test instead of hanging it.
 */
public final class Latches {

    private static final long WAIT_SECONDS = 30;

    private Latches() {
    }

    /**
     * Waits until {@code latch} opens. Throws {@code failure.apply(neverOpened, null)} when it does
     * not open in time, and, when the thread is interrupted, keeps the interrupt and throws
     * {@code failure.apply(interruption.toString(), interruption)}.
     */
    public static <E extends Exception> void await(CountDownLatch latch, String neverOpened,
            BiFunction<String, Throwable, E> failure) throws E {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw failure.apply(neverOpened, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.apply(e.toString(), e);
        }
    }
}
