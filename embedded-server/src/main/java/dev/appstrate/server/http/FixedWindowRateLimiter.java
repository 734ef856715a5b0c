package dev.appstrate.server.http;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Fixed windows per key in this process, as rate-limiter-flexible's memory limiter does in the original. */
public final class FixedWindowRateLimiter implements RateLimiter {
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long startMs, AtomicInteger count) {
    }

    public FixedWindowRateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** A key's window opens with its first hit and lasts windowSeconds, so the first answer says reset=window. */
    @Override
    public Outcome hit(String key, int limit, int windowSeconds) {
        long now = clock.millis();
        long windowMs = windowSeconds * 1000L;
        Window w = windows.compute(key, (k, old) -> old == null || now >= old.startMs() + windowMs
                ? new Window(now, new AtomicInteger()) : old);
        int n = w.count().incrementAndGet();
        int reset = (int) Math.max(1, (w.startMs() + windowMs - now + 999) / 1000);
        if (windows.size() > 50_000) {
            windows.entrySet().removeIf(e -> now >= e.getValue().startMs() + windowMs);
        }
        return new Outcome(n <= limit, limit, Math.max(0, limit - n), reset);
    }
}
