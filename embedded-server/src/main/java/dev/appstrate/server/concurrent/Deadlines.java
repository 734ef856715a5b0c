package dev.appstrate.server.concurrent;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how long futures stay pending, all with the same delay: with one delay the watched futures expire in the
 * order they were watched, so a queue swept periodically replaces a timer task per future (a task each would wake the
 * timer thread on every schedule and cancel). A future expires up to one sweep period late.
 */
public final class Deadlines {
    private static final Logger LOG = LoggerFactory.getLogger(Deadlines.class);
    private final long delayNanos;
    private final Queue<Entry> watched = new ConcurrentLinkedQueue<>();

    private record Entry(long dueNanos, CompletableFuture<?> future, Runnable onExpiry) {
    }

    /** Sweeps every {@code sweepMillis} on {@code timer} (the caller's, stopped by its owner). */
    public Deadlines(long delay, TimeUnit unit, ScheduledExecutorService timer, long sweepMillis) {
        this.delayNanos = unit.toNanos(delay);
        timer.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code onExpiry} once the delay has passed, unless {@code future} is done by then. */
    public void watch(CompletableFuture<?> future, Runnable onExpiry) {
        if (!future.isDone()) {
            watched.add(new Entry(System.nanoTime() + delayNanos, future, onExpiry));
        }
    }

    /** Drops the done futures at the head and expires the overdue ones; stops at the first one still in time. */
    void sweep() {
        long now = System.nanoTime();
        for (Entry e = watched.peek(); e != null; e = watched.peek()) {
            boolean done = e.future.isDone();
            if (!done && now - e.dueNanos < 0) {
                return;
            }
            watched.poll();
            if (!done) {
                try {
                    e.onExpiry.run();
                } catch (RuntimeException | Error failure) {
                    // one entry's failure must not leave the later overdue entries waiting for the next sweep
                    LOG.error("Deadline action failed; the sweep goes on", failure);
                }
            }
        }
    }
}
