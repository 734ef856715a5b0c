package dev.appstrate.server.http;

/**
 * Fixed-window counters keyed as {@code method:path:identity} (or a feature's own key): in memory on one server
 * ({@link FixedWindowRateLimiter}), in Redis when several instances share the limits.
 */
public interface RateLimiter {
    /** The outcome of one hit. */
    record Outcome(boolean allowed, int limit, int remaining, int resetSeconds) {
    }

    /** Counts one hit; a key's window opens with its first hit and lasts windowSeconds. */
    Outcome hit(String key, int limit, int windowSeconds);
}
