package dev.appstrate.server.docker;

import dev.appstrate.server.concurrent.NamedExecutors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SIDECAR_POOL_SIZE} pre-warmed sidecars, handed to runs at start so a run does not pay for
 * creating and starting one. Each one is checked before it is handed out: a broken one (stopped,
 * killed, gone) is discarded and replaced, never handed out. Refilled in the background after every
 * take. Size 0 disables the pool (each run creates its own). Pool events are logged at debug.
 */
public final class SidecarPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SidecarPool.class);

    private final int size;
    private final Supplier<String> create;
    private final Predicate<String> healthy;
    private final Consumer<String> discard;
    private final Deque<String> ready = new ArrayDeque<>();
    private final ExecutorService refiller;
    private int creating;
    private volatile boolean closed;

    /**
     * @param create  creates and starts one pooled sidecar, returns its container id
     * @param healthy whether a pooled sidecar can still be handed out
     * @param discard removes a sidecar (broken, or left over at close)
     */
    public SidecarPool(int size, Supplier<String> create, Predicate<String> healthy, Consumer<String> discard) {
        this.size = size;
        this.create = create;
        this.healthy = healthy;
        this.discard = discard;
        this.refiller = NamedExecutors.single("sidecar-pool");
    }

    public int size() {
        return size;
    }

    /** Sidecars ready to be handed out right now. */
    public synchronized int ready() {
        return ready.size();
    }

    /** Starts filling the pool in the background. */
    public void warm() {
        refill();
    }

    /** A healthy pre-warmed sidecar for a run, or null when the pool is empty or disabled. */
    public String take() {
        while (true) {
            String id;
            synchronized (this) {
                id = ready.pollFirst();
            }
            if (id == null) {
                LOG.debug("Sidecar pool empty: the run creates its own sidecar");
                refill();
                return null;
            }
            if (healthy.test(id)) {
                LOG.debug("Sidecar pool handed out container={} left={}", id, ready());
                pruneThenRefill();
                return id;
            }
            LOG.debug("Sidecar pool discarded a broken sidecar container={}", id);
            safeDiscard(id);
        }
    }

    /** Off the caller's thread: discards the waiting sidecars that broke, then tops the pool up. */
    private void pruneThenRefill() {
        try {
            refiller.execute(() -> {
                List<String> waiting;
                synchronized (this) {
                    waiting = new ArrayList<>(ready);
                }
                for (String id : waiting) {
                    if (!healthy.test(id)) {
                        boolean mine;
                        synchronized (this) {
                            mine = ready.remove(id);
                        }
                        if (mine) {
                            LOG.debug("Sidecar pool discarded a broken sidecar container={}", id);
                            safeDiscard(id);
                        }
                    }
                }
                refill();
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the pool is closing
        }
    }

    /** Tops the pool up to its size, one creation at a time, off the caller's thread. */
    private void refill() {
        int toCreate;
        synchronized (this) {
            if (closed) {
                return;
            }
            toCreate = size - ready.size() - creating;
            creating += Math.max(0, toCreate);
        }
        for (int i = 0; i < toCreate; i++) {
            try {
                refiller.execute(this::createOne);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                synchronized (this) {
                    creating--;
                }
            }
        }
    }

    private void createOne() {
        String id = null;
        try {
            id = create.get();
            LOG.debug("Sidecar pool added container={}", id);
        } catch (RuntimeException e) {
            LOG.debug("Sidecar pool could not create a sidecar: {}", e.getMessage());
        } finally {
            boolean keep;
            synchronized (this) {
                creating--;
                keep = id != null && !closed;
                if (keep) {
                    ready.addLast(id);
                }
            }
            if (id != null && !keep) {
                safeDiscard(id);
            }
        }
    }

    private void safeDiscard(String id) {
        try {
            discard.accept(id);
        } catch (RuntimeException e) {
            LOG.debug("Sidecar pool could not remove container={}: {}", id, e.getMessage());
        }
    }

    /** Removes the pooled sidecars; runs already holding one keep it. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        refiller.shutdown();
        try {
            refiller.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Deque<String> left;
        synchronized (this) {
            left = new ArrayDeque<>(ready);
            ready.clear();
        }
        left.forEach(this::safeDiscard);
    }
}
