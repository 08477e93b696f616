package io.spillway.servlet;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

/**
 * Hears how an asynchronous request ends: completed, timed out or failed. It stays registered when
 * the application goes asynchronous again (a container drops the listeners of the earlier cycle),
 * so that what it cleans up is cleaned up when the request really ends.
 */
abstract class AsyncEnd implements AsyncListener {

    /** An {@code AsyncEnd} that runs {@code cleanup} however the request ends. */
    static AsyncEnd always(Runnable cleanup) {
        return new AsyncEnd() {
            @Override
            void ended(AsyncEvent event) {
                cleanup.run();
            }
        };
    }

    /** The request ended, whichever way (the other methods call it unless overridden). */
    abstract void ended(AsyncEvent event);

    @Override
    public void onComplete(AsyncEvent event) {
        ended(event);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        ended(event);
    }

    @Override
    public void onError(AsyncEvent event) {
        ended(event);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        event.getAsyncContext().addListener(this);
    }
}
