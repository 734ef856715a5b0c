package dev.appstrate.server.redis;

import dev.appstrate.server.config.RedisUrl;

/** Redis could not be reached at boot: what was tried (password masked) and how to test it by hand. */
public final class RedisUnavailableException extends RuntimeException {
    public RedisUnavailableException(RedisUrl url, String reason) {
        super("Redis connection failed: cannot reach " + url.masked() + " (REDIS_URL): " + reason + "\n"
                + "  - Make sure Redis is running and reachable from this machine.\n"
                + "  - Test the connection manually: redis-cli -u \"$REDIS_URL\" ping\n"
                + "  - Or unset REDIS_URL to run as a single instance with in-process queue, pub/sub and rate limits.");
    }
}
