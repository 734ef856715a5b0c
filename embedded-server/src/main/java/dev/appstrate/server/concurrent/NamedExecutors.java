package dev.appstrate.server.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One named executor per background concern; every thread logs what it fails with. */
public final class NamedExecutors {
    private static final Logger LOG = LoggerFactory.getLogger(NamedExecutors.class);

    private NamedExecutors() {
    }

    public static ThreadFactory factory(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(() -> {
                try {
                    r.run();
                } catch (Throwable e) {
                    LOG.error("Background task failed thread={}", Thread.currentThread().getName(), e);
                    throw e;
                }
            }, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public static ExecutorService single(String name) {
        return new CatchingExecutors.CatchingThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                factory(name));
    }

    public static ExecutorService cached(String name) {
        return new CatchingExecutors.CatchingThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), factory(name));
    }

    /** A fixed pool whose idle threads end after a minute (webhook delivery). */
    public static ExecutorService fixed(String name, int threads) {
        CatchingExecutors.CatchingThreadPoolExecutor pool = new CatchingExecutors.CatchingThreadPoolExecutor(threads, threads,
                60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Periodic tasks on it log a failure and keep their schedule; one-shot failures are logged. */
    public static ScheduledExecutorService scheduled(String name, int threads) {
        return new CatchingExecutors.CatchingScheduledThreadPoolExecutor(threads, factory(name));
    }

    /** One thread for a long-lived loop (an accept loop, a log follower), named and logging what it dies of. */
    public static Thread thread(String name, Runnable body) {
        Thread t = factory(name).newThread(body);
        return t;
    }

    /** An AutoCloseable that stops an executor, for the server's stop hooks. */
    public static AutoCloseable closer(ExecutorService executor) {
        return () -> {
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        };
    }
}
