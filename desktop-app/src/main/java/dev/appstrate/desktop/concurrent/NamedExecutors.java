package dev.appstrate.desktop.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop's one thread factory: every background thread is named, a daemon, and logs an uncaught failure.
 * Outside {@code ui/} so the launcher (which must not depend on screens) uses it too.
 */
public final class NamedExecutors {
    private static final Logger LOG = LoggerFactory.getLogger(NamedExecutors.class);

    private NamedExecutors() {
    }

    /** A fixed pool whose idle threads end after 30 s (nothing to shut down). */
    public static ExecutorService namedDaemonPool(String name, int size) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                namedDaemons(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** One named daemon thread for delayed work, gone after 30 s idle (nothing to shut down). */
    public static ScheduledExecutorService namedScheduler(String name) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, namedDaemons(name));
        pool.setKeepAliveTime(30, TimeUnit.SECONDS);
        pool.allowCoreThreadTimeOut(true);
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }

    /** Starts one long-lived daemon thread (a blocking accept loop, say) that ends with its work. */
    public static Thread startDaemon(String name, Runnable work) {
        Thread t = newThread(name, work);
        t.start();
        return t;
    }

    private static ThreadFactory namedDaemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> newThread(name + "-" + n.incrementAndGet(), r);
    }

    private static Thread newThread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> LOG.error("Uncaught failure thread={}", th.getName(), e));
        return t;
    }
}
