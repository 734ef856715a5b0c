package dev.appstrate.desktop.ui.logs;

import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded hand-off between a source's thread and the FX thread: producers never block; when
 * the queue is full the oldest line is dropped and counted (a view that far behind cannot show it anyway).
 */
final class LogFeed implements LogSink {
    private final ArrayBlockingQueue<LogLine> queue;
    private final AtomicLong dropped = new AtomicLong();
    private volatile String status = "";

    LogFeed(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void line(LogLine line) {
        while (!queue.offer(line)) {
            if (queue.poll() != null) {
                dropped.incrementAndGet();
            }
        }
    }

    @Override
    public void status(String s) {
        this.status = s;
    }

    String status() {
        return status;
    }

    int drainTo(Collection<LogLine> batch, int max) {
        return queue.drainTo(batch, max);
    }

    long dropped() {
        return dropped.get();
    }

    int queued() {
        return queue.size();
    }
}
