package dev.appstrate.server.realtime;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The in-process pub/sub that feeds SSE and long-polls, fed by the same code that writes runs and
 * logs. Each subscriber has a bounded queue; one that falls too far behind is cut off (and can
 * resume from the database with Last-Event-ID), so a slow reader never slows ingestion.
 */
public final class RunEventBus {
    private final Set<Subscription> subscribers = new CopyOnWriteArraySet<>();

    /** A subscriber's view of the bus. */
    public final class Subscription implements AutoCloseable {
        private final Predicate<RunEvent> filter;
        private final BlockingQueue<RunEvent> queue;
        private volatile boolean overflowed;

        private Subscription(Predicate<RunEvent> filter, int capacity) {
            this.filter = filter;
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        void offer(RunEvent e) {
            if (!overflowed && filter.test(e) && !queue.offer(e)) {
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
        Subscription s = new Subscription(filter, capacity);
        subscribers.add(s);
        return s;
    }

    public void publish(RunEvent event) {
        for (Subscription s : subscribers) {
            s.offer(event);
        }
    }

    public int subscriberCount() {
        return subscribers.size();
    }
}
