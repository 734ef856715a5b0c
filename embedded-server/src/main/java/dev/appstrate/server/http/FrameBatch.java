package dev.appstrate.server.http;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Frames sent to event streams while {@link #run} runs go out as one write per stream when it returns, not one
 * socket write per frame: the run-log writer publishes a whole committed batch at once (10 streams × 100,000 events
 * were 1,000,000 small writes, most of the fan-out's system time).
 */
public final class FrameBatch {
    private static final ThreadLocal<Set<SseSink>> OPEN = new ThreadLocal<>();

    private FrameBatch() {
    }

    /** Runs {@code publish}, holding back the socket writes of the streams it sends to until it returns. */
    public static void run(Runnable publish) {
        if (OPEN.get() != null) {
            publish.run();
            return;
        }
        Set<SseSink> touched = Collections.newSetFromMap(new IdentityHashMap<>());
        OPEN.set(touched);
        try {
            publish.run();
        } finally {
            OPEN.remove();
            for (SseSink sink : touched) {
                sink.flush();
            }
        }
    }

    /** True when a batch is open on this thread: the sink is written at its end instead of now. */
    static boolean defer(SseSink sink) {
        Set<SseSink> touched = OPEN.get();
        if (touched == null) {
            return false;
        }
        touched.add(sink);
        return true;
    }
}
