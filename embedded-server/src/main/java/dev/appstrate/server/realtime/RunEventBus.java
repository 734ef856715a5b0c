package dev.appstrate.server.realtime;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The in-process pub/sub that feeds SSE and long-polls, fed by the same code that writes runs and
 * logs. Each subscriber has a bounded queue; one that falls too far behind is cut off (and can
 * resume from the database with Last-Event-ID), so a slow reader never slows ingestion. With several instances,
 * a relay carries each instance's events to the others.
 */
public final class RunEventBus {
    private final Set<Subscription> subscribers = new CopyOnWriteArraySet<>();
    /** Where this instance's events also go when other instances share them (Redis); null on one server. */
    private volatile Consumer<RunEvent> relay;

    /** A subscriber's view of the bus. */
    public final class Subscription implements AutoCloseable {
        private final Predicate<RunEvent> filter;
        private final BlockingQueue<RunEvent> queue;
        private final Consumer<RunEvent> listener;
        private volatile boolean overflowed;

        private Subscription(Predicate<RunEvent> filter, int capacity, Consumer<RunEvent> listener) {
            this.filter = filter;
            this.queue = listener == null ? new ArrayBlockingQueue<>(capacity) : null;
            this.listener = listener;
        }

        void offer(RunEvent e) {
            if (!filter.test(e)) {
                return;
            }
            if (listener != null) {
                listener.accept(e);
            } else if (!overflowed && !queue.offer(e)) {
                overflowed = true;
            }
        }

        /** The next event, or null after the timeout. */
        public RunEvent poll(long timeoutMs) throws InterruptedException {
            return queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        }

        /** Everything queued now, without waiting. */
        public int drainTo(java.util.Collection<RunEvent> sink, int max) {
            return queue.drainTo(sink, max);
        }

        /** True once the subscriber missed an event because its queue was full. */
        public boolean overflowed() {
            return overflowed;
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }

    public Subscription subscribe(Predicate<RunEvent> filter, int capacity) {
        Subscription s = new Subscription(filter, capacity, null);
        subscribers.add(s);
        return s;
    }

    /** Hands each matching event to {@code listener} on the publishing thread; it must not block. */
    public Subscription listen(Predicate<RunEvent> filter, Consumer<RunEvent> listener) {
        Subscription s = new Subscription(filter, 0, listener);
        subscribers.add(s);
        return s;
    }

    /** An event of this instance: to its subscribers, then to the other instances when they share events. */
    public void publish(RunEvent event) {
        publishFromPeer(event);
        Consumer<RunEvent> r = relay;
        if (r != null) {
            r.accept(event);
        }
    }

    /** An event another instance published: to this instance's subscribers only. */
    public void publishFromPeer(RunEvent event) {
        for (Subscription s : subscribers) {
            s.offer(event);
        }
    }

    /** Also hands every event this instance publishes to {@code relay} (which must not block). */
    public void relayTo(Consumer<RunEvent> relay) {
        this.relay = relay;
    }

    public int subscriberCount() {
        return subscribers.size();
    }
}
