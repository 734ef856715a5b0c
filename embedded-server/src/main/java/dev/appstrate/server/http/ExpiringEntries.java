package dev.appstrate.server.http;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Values that lapse at a time of their own, in this process: the one-server rate-limit windows and idempotency keys.
 * A lapsed entry reads as absent; lapsed entries are swept at most once a minute, so the map holds what is live.
 */
final class ExpiringEntries<V> {
    private static final long SWEEP_EVERY_MS = 60_000;

    /** A value and the instant (epoch ms) it lapses. */
    record Timed<V>(V value, long expiresAtMs) {
    }

    private final Clock clock;
    private final Map<String, Timed<V>> entries = new ConcurrentHashMap<>();
    private volatile long nextSweepMs;

    ExpiringEntries(Clock clock) {
        this.clock = clock;
        this.nextSweepMs = clock.millis() + SWEEP_EVERY_MS;
    }

    /** The key's live entry, or (atomically) a new one holding {@code fresh}'s value for {@code ttlMs}. */
    Timed<V> liveOrPut(String key, Supplier<V> fresh, long ttlMs) {
        long now = clock.millis();
        sweepIfDue(now);
        return entries.compute(key, (k, old) -> old == null || now >= old.expiresAtMs() ? new Timed<>(fresh.get(), now + ttlMs) : old);
    }

    void put(String key, V value, long ttlMs) {
        long now = clock.millis();
        sweepIfDue(now);
        entries.put(key, new Timed<>(value, now + ttlMs));
    }

    void remove(String key) {
        entries.remove(key);
    }

    private void sweepIfDue(long now) {
        if (now >= nextSweepMs) {
            nextSweepMs = now + SWEEP_EVERY_MS;
            entries.values().removeIf(t -> now >= t.expiresAtMs());
        }
    }
}
