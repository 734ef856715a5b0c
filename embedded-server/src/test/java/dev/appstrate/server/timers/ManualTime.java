package dev.appstrate.server.timers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * A clock that only moves when a test says so, and the {@link Timers} that go with it: advancing runs each
 * due task on the calling thread, with the clock set to that task's instant, oldest first.
 */
public final class ManualTime extends Clock implements Timers {
    private record Entry(Instant when, long seq, Runnable task, boolean[] cancelled) {
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> {
        int c = a.when.compareTo(b.when);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private volatile Instant now;
    private long seq;

    public ManualTime(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Timer at(Instant when, Runnable task) {
        boolean[] cancelled = {false};
        queue.add(new Entry(when, seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Moves the clock to {@code target}, running every timer due on the way at its own instant. */
    public void advanceTo(Instant target) {
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.when.isAfter(target)) {
                    break;
                }
                queue.poll();
                if (next.when.isAfter(now)) {
                    now = next.when;
                }
            }
            if (!next.cancelled[0]) {
                next.task.run();
            }
        }
        synchronized (this) {
            if (target.isAfter(now)) {
                now = target;
            }
        }
    }

    public void advance(Duration d) {
        advanceTo(now.plus(d));
    }

    /** Moves the clock without running anything: time passing while the server is down. */
    public synchronized void jumpTo(Instant target) {
        now = target;
    }

    /** Drops every pending timer (the old server instance is gone). */
    public synchronized void forgetTimers() {
        queue.clear();
    }

    /** The instant of the earliest live timer, or null. */
    public synchronized Instant nextTimer() {
        return queue.stream().filter(e -> !e.cancelled[0]).map(Entry::when).min(Instant::compareTo).orElse(null);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests use UTC");
    }
}
