package dev.appstrate.runner.concurrent;

import dev.appstrate.runner.RunnerLog;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runner's one thread factory (as the server's and the desktop's {@code NamedExecutors}): every thread is named, a
 * daemon (the runner's exit is decided by {@code main}, never by a stray thread) and logs what it dies of; a periodic
 * task logs its failure and keeps its schedule instead of being cancelled by the first one (a heartbeat that stopped
 * would let the server's watchdog fail a healthy run).
 */
public final class NamedExecutors {
    private NamedExecutors() {
    }

    public static ThreadFactory factory(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> RunnerLog.error("uncaught failure", "thread", th.getName(),
                    "error", e.toString()));
            return t;
        };
    }

    /** {@code threads} threads, all started on demand and kept for the executor's life (it is shut down by its owner). */
    public static ExecutorService fixed(String name, int threads) {
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory(name));
    }

    public static ExecutorService single(String name) {
        return fixed(name, 1);
    }

    /** One thread; a periodic task on it survives its failures (logged), one-shot ones fail their futures as usual. */
    public static ScheduledExecutorService scheduled(String name) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, factory(name)) {
            @Override
            public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
                return super.scheduleAtFixedRate(surviving(task), initialDelay, period, unit);
            }

            @Override
            public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
                return super.scheduleWithFixedDelay(surviving(task), initialDelay, delay, unit);
            }
        };
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }

    static Runnable surviving(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                RunnerLog.error("periodic task failed; it runs again at its next period", "thread",
                        Thread.currentThread().getName(), "error", e.toString());
            }
        };
    }
}
