package dev.appstrate.server.http;

import java.util.Map;

/**
 * Where Idempotency-Key markers and cached responses live: this process's memory ({@link LocalIdempotencyKeys}) or
 * Redis when several instances must see the same keys.
 */
public interface IdempotencyKeys {
    /** A key's state: the request body's hash and, once answered, the response to replay. */
    record Entry(String bodyHash, Cached response) {
    }

    /** A response worth replaying. */
    record Cached(int status, Map<String, String> headers, byte[] body) {
    }

    /** Records {@code fresh} unless a live entry exists; returns null when recorded, else the existing entry. */
    Entry claim(String key, Entry fresh, long ttlMs);

    /** Replaces the key's entry (the request was answered). */
    void complete(String key, Entry done, long ttlMs);

    /** Forgets the key (the request failed: it may be retried). */
    void release(String key);
}
