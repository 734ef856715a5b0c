package dev.appstrate.server.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
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

    /** Runs one task on its own named daemon thread (boot-time warm-ups that must not delay readiness). */
    public static void runOnce(String name, Runnable task) {
        factory(name).newThread(task).start();
    }

    public static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(factory(name));
    }

    public static ExecutorService cached(String name) {
        return Executors.newCachedThreadPool(factory(name));
    }

    public static ScheduledExecutorService scheduled(String name, int threads) {
        return Executors.newScheduledThreadPool(threads, factory(name));
    }

    /** An AutoCloseable that stops an executor, for the server's stop hooks. */
    public static AutoCloseable closer(ExecutorService executor) {
        return () -> {
            executor.shutdownNow();
            executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        };
    }
}
