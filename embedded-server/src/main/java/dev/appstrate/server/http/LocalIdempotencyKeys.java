package dev.appstrate.server.http;

import java.time.Clock;

/** Idempotency keys in this process's memory (one server). */
public final class LocalIdempotencyKeys implements IdempotencyKeys {
    private final ExpiringEntries<Entry> entries;

    public LocalIdempotencyKeys(Clock clock) {
        this.entries = new ExpiringEntries<>(clock);
    }

    @Override
    public Entry claim(String key, Entry fresh, long ttlMs) {
        Entry live = entries.liveOrPut(key, () -> fresh, ttlMs).value();
        return live == fresh ? null : live;
    }

    @Override
    public void complete(String key, Entry done, long ttlMs) {
        entries.put(key, done, ttlMs);
    }

    @Override
    public void release(String key) {
        entries.remove(key);
    }
}
