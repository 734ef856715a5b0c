package dev.appstrate.server.concurrent;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executors whose tasks cannot fail silently (after Cryptomator's {@code CatchingExecutors}): a failure
 * a caller never asks its future about is logged, and a periodic task logs its failure and keeps its
 * schedule instead of being cancelled by its first exception.
 */
public final class CatchingExecutors {
    private static final Logger LOG = LoggerFactory.getLogger(CatchingExecutors.class);

    private CatchingExecutors() {
    }

    /** A thread pool that logs what its tasks fail with. */
    public static final class CatchingThreadPoolExecutor extends ThreadPoolExecutor {
        public CatchingThreadPoolExecutor(int core, int max, long keepAlive, TimeUnit unit, BlockingQueue<Runnable> queue,
                                          ThreadFactory threads) {
            super(core, max, keepAlive, unit, queue, threads);
        }

        @Override
        protected void afterExecute(Runnable task, Throwable failure) {
            super.afterExecute(task, failure);
            logFailure(task, failure);
        }
    }

    /** A scheduler whose periodic tasks survive their failures and whose one-shot failures are logged. */
    public static final class CatchingScheduledThreadPoolExecutor extends ScheduledThreadPoolExecutor {
        public CatchingScheduledThreadPoolExecutor(int core, ThreadFactory threads) {
            super(core, threads);
            setRemoveOnCancelPolicy(true);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
            return super.scheduleWithFixedDelay(surviving(task), initialDelay, delay, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
            return super.scheduleAtFixedRate(surviving(task), initialDelay, period, unit);
        }

        @Override
        protected void afterExecute(Runnable task, Throwable failure) {
            super.afterExecute(task, failure);
            logFailure(task, failure);
        }
    }

    /** The task with its failures logged and swallowed, so the next period still runs. */
    static Runnable surviving(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("Periodic task failed; it runs again at its next period thread={}", Thread.currentThread().getName(), e);
            }
        };
    }

    private static void logFailure(Runnable task, Throwable failure) {
        if (failure != null) {
            return; // it ends the worker thread, whose factory logs it
        }
        Throwable t = null;
        if (task instanceof Future<?> f && f.isDone() && !(f instanceof ScheduledFuture<?> sf && isPeriodic(sf))) {
            try {
                f.get();
            } catch (CancellationException e) {
                return; // cancelled on purpose: not a failure
            } catch (ExecutionException e) {
                t = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (t != null) {
            LOG.error("Background task failed thread={}", Thread.currentThread().getName(), t);
        }
    }

    private static boolean isPeriodic(ScheduledFuture<?> f) {
        return f instanceof java.util.concurrent.RunnableScheduledFuture<?> r && r.isPeriodic();
    }
}
