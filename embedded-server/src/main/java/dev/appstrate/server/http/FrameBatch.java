package dev.appstrate.server.http;

import dev.appstrate.server.concurrent.NamedExecutors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames sent to event streams inside {@link #collect} are queued on their streams (in the order sent) and written by this
 * batch's own flush thread after {@link #release}, as one write per stream, not one socket write per frame, and at most
 * once per interval while releases follow each other (10 streams × 100,000 events were 1,000,000 small writes). The
 * collecting thread (the run-log writer) only queues: the socket writes never delay its next commit. Writes are
 * non-blocking (a slow client's stream keeps its frames queued until it reads), so no stream can stall another.
 */
public final class FrameBatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrameBatch.class);
    private static final ThreadLocal<Set<SseSink>> OPEN = new ThreadLocal<>();
    /** Touched by the collecting thread only. */
    private final Set<SseSink> held = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Released streams the flush thread has not written yet; guarded by itself. */
    private final Set<SseSink> released = Collections.newSetFromMap(new IdentityHashMap<>());
    private final long intervalNanos;
    private final Thread flusher;
    private volatile boolean closed;
    private volatile boolean idle;

    /** @param name the flush thread's name; {@code interval}: the shortest time between two writes of the streams */
    public FrameBatch(String name, long interval, TimeUnit unit) {
        this.intervalNanos = unit.toNanos(interval);
        this.flusher = NamedExecutors.factory(name).newThread(this::flushLoop);
        flusher.start();
    }

    /** Runs {@code publish}, holding back the socket writes of the streams it sends to until {@link #release}. */
    public void collect(Runnable publish) {
        if (OPEN.get() != null) {
            publish.run();
            return;
        }
        OPEN.set(held);
        try {
            publish.run();
        } finally {
            OPEN.remove();
        }
    }

    /** Hands the streams written to since the last release to the flush thread; returns at once. */
    public void release() {
        if (held.isEmpty()) {
            return;
        }
        boolean wake;
        synchronized (released) {
            released.addAll(held);
            wake = idle;
        }
        held.clear();
        if (wake) {
            LockSupport.unpark(flusher);
        }
    }

    private void flushLoop() {
        long lastFlush = System.nanoTime() - intervalNanos;
        while (true) {
            List<SseSink> sinks;
            synchronized (released) {
                idle = released.isEmpty();
                if (idle && closed) {
                    return;
                }
                sinks = idle ? List.of() : new ArrayList<>(released);
                released.clear();
            }
            if (sinks.isEmpty()) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(250));
                continue;
            }
            for (SseSink sink : sinks) {
                try {
                    sink.flush();
                } catch (RuntimeException | Error e) {
                    // one stream's failure (or an end action it ran) must not stop every other stream's live frames
                    LOG.warn("Stream flush failed; the other streams go on", e);
                }
            }
            lastFlush = System.nanoTime();
            // what is released meanwhile waits out the interval and goes in the next write
            long wait;
            while (!closed && (wait = lastFlush + intervalNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    /** Writes what was released and stops the flush thread. */
    @Override
    public void close() {
        release();
        closed = true;
        LockSupport.unpark(flusher);
        try {
            flusher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when a batch is collecting on this thread: the sink is written after its release instead of now. */
    static boolean defer(SseSink sink) {
        Set<SseSink> touched = OPEN.get();
        if (touched == null) {
            return false;
        }
        touched.add(sink);
        return true;
    }
}
