package dev.appstrate.server.timers;

import java.time.Instant;

/**
 * One-shot timers on the server clock. The scheduler and the webhook worker arm one timer for their
 * next due instant instead of polling; tests swap in a manual implementation to advance time.
 */
public interface Timers {
    /** A timer that has not necessarily run yet. */
    interface Timer {
        /** Stops the timer if it has not run; harmless afterwards. */
        void cancel();
    }

    /** Runs {@code task} once when the clock reaches {@code when} (soon when it is already past). */
    Timer at(Instant when, Runnable task);
}
