package dev.appstrate.server.runs;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run's model calls in flight through the {@link LlmSidecar}. When the run ends (cancelled, failed, timed out,
 * finished) every one is aborted at once, its provider connection closed: the provider stops generating for a run
 * that is gone, and no server thread waits for its answer.
 */
final class ModelCalls {
    private final Set<Runnable> open = ConcurrentHashMap.newKeySet();
    private volatile boolean ended;

    /** Tracks a call until the returned handle is closed; a call tracked after the run ended is aborted at once. */
    Tracked track(Runnable abort) {
        open.add(abort);
        if (ended && open.remove(abort)) {
            abort.run();
        }
        return () -> open.remove(abort);
    }

    boolean ended() {
        return ended;
    }

    /** The run ended: aborts every call in flight and any tracked later. */
    void endAll() {
        ended = true;
        for (Runnable abort : open) {
            if (open.remove(abort)) {
                abort.run();
            }
        }
    }

    /** One tracked call; closing it (the call is over) stops tracking it. */
    interface Tracked extends AutoCloseable {
        @Override
        void close();
    }
}
