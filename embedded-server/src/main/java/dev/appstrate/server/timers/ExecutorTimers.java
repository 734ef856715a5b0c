package dev.appstrate.server.timers;

import dev.appstrate.server.concurrent.NamedExecutors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Timers} on one named daemon thread. Delays are computed from the injected clock; a long delay
 * is re-checked every {@code maxSleep} because monotonic timers stand still while a laptop is suspended.
 */
public final class ExecutorTimers implements Timers, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorTimers.class);
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Duration maxSleep;

    public ExecutorTimers(String threadName, Clock clock, Duration maxSleep) {
        this.clock = clock;
        this.maxSleep = maxSleep;
        this.executor = NamedExecutors.scheduled(threadName, 1);
    }

    @Override
    public Timer at(Instant when, Runnable task) {
        ChainedTimer timer = new ChainedTimer(when, task);
        timer.arm();
        return timer;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sleeps in slices of at most maxSleep, re-reading the clock after each. */
    private final class ChainedTimer implements Timer {
        private final Instant when;
        private final Runnable task;
        private volatile boolean cancelled;
        private volatile ScheduledFuture<?> future;

        ChainedTimer(Instant when, Runnable task) {
            this.when = when;
            this.task = task;
        }

        synchronized void arm() {
            if (cancelled || executor.isShutdown()) {
                return;
            }
            long delayMs = Math.max(0, Duration.between(clock.instant(), when).toMillis());
            if (delayMs > maxSleep.toMillis()) {
                future = executor.schedule(this::arm, maxSleep.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                future = executor.schedule(this::fire, delayMs, TimeUnit.MILLISECONDS);
            }
        }

        private void fire() {
            if (cancelled) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("Timer task failed", e);
            }
        }

        @Override
        public synchronized void cancel() {
            cancelled = true;
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }
    }
}
