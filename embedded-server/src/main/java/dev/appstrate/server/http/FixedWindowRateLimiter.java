package dev.appstrate.server.http;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/** Fixed windows per key in this process, as rate-limiter-flexible's memory limiter does in the original. */
public final class FixedWindowRateLimiter implements RateLimiter {
    private final Clock clock;
    private final ExpiringEntries<AtomicInteger> windows;

    public FixedWindowRateLimiter(Clock clock) {
        this.clock = clock;
        this.windows = new ExpiringEntries<>(clock);
    }

    /** A key's window opens with its first hit and lasts windowSeconds, so the first answer says reset=window. */
    @Override
    public Outcome hit(String key, int limit, int windowSeconds) {
        ExpiringEntries.Timed<AtomicInteger> w = windows.liveOrPut(key, AtomicInteger::new, windowSeconds * 1000L);
        int n = w.value().incrementAndGet();
        int reset = (int) Math.max(1, (w.expiresAtMs() - clock.millis() + 999) / 1000);
        return new Outcome(n <= limit, limit, Math.max(0, limit - n), reset);
    }
}
