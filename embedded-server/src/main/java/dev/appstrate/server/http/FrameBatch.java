package dev.appstrate.server.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Frames sent to event streams inside {@link #collect} are queued on their streams and written when {@link #flush} is
 * called, as one write per stream, not one socket write per frame: the run-log writer publishes whole committed
 * batches and flushes at most every few milliseconds (10 streams × 100,000 events were 1,000,000 small writes, and
 * then one write per stream per commit, most of the writer's CPU and of the readers' wake-ups). Owned by one thread.
 */
public final class FrameBatch {
    private static final ThreadLocal<Set<SseSink>> OPEN = new ThreadLocal<>();
    private final Set<SseSink> held = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Runs {@code publish}, holding back the socket writes of the streams it sends to until {@link #flush}. */
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

    /** True when no stream has frames held back. */
    public boolean isEmpty() {
        return held.isEmpty();
    }

    /** Writes what was held back, one write per stream. */
    public void flush() {
        if (held.isEmpty()) {
            return;
        }
        List<SseSink> sinks = new ArrayList<>(held);
        held.clear();
        for (SseSink sink : sinks) {
            sink.flush();
        }
    }

    /** Runs {@code publish} and writes what it sent at once. */
    public static void run(Runnable publish) {
        FrameBatch batch = new FrameBatch();
        batch.collect(publish);
        batch.flush();
    }

    /** True when a batch is collecting on this thread: the sink is written at its flush instead of now. */
    static boolean defer(SseSink sink) {
        Set<SseSink> touched = OPEN.get();
        if (touched == null) {
            return false;
        }
        touched.add(sink);
        return true;
    }
}
