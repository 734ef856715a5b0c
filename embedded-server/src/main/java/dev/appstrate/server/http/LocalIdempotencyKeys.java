package dev.appstrate.server.http;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Idempotency keys in this process's memory (one server). */
public final class LocalIdempotencyKeys implements IdempotencyKeys {
    private final Clock clock;
    private final Map<String, Stored> entries = new ConcurrentHashMap<>();

    private record Stored(Entry entry, long expiresAtMs) {
    }

    public LocalIdempotencyKeys(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Entry claim(String key, Entry fresh, long ttlMs) {
        long now = clock.millis();
        Stored mine = new Stored(fresh, now + ttlMs);
        Stored existing = entries.compute(key, (k, old) -> old == null || old.expiresAtMs() < now ? mine : old);
        return existing == mine ? null : existing.entry();
    }

    @Override
    public void complete(String key, Entry done, long ttlMs) {
        entries.put(key, new Stored(done, clock.millis() + ttlMs));
    }

    @Override
    public void release(String key) {
        entries.remove(key);
    }
}
