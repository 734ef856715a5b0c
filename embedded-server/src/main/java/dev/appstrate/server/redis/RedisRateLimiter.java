package dev.appstrate.server.redis;

import dev.appstrate.server.http.RateLimiter;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fixed windows shared by every instance: one Lua script does INCR and, on a window's first hit, PEXPIRE, so the
 * count and its expiry are atomic. If Redis cannot answer, the request is let through (and logged): a cache outage
 * must not take the API down.
 */
public final class RedisRateLimiter implements RateLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
    private static final String SCRIPT = "local n = redis.call('INCR', KEYS[1]) "
            + "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end "
            + "local ttl = redis.call('PTTL', KEYS[1]) "
            + "if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end "
            + "return {n, ttl}";
    private final SharedRedis redis;

    public RedisRateLimiter(SharedRedis redis) {
        this.redis = redis;
    }

    @Override
    public Outcome hit(String key, int limit, int windowSeconds) {
        long windowMs = windowSeconds * 1000L;
        if (!redis.connected()) {
            return new Outcome(true, limit, limit, windowSeconds); // down: let it through now rather than after the timeout
        }
        try {
            List<Long> r = redis.sync().eval(SCRIPT, ScriptOutputType.MULTI, new String[] {SharedRedis.PREFIX + "rl:" + key},
                    Long.toString(windowMs));
            long n = r.get(0);
            long ttl = r.get(1);
            int reset = (int) Math.max(1, (ttl + 999) / 1000);
            return new Outcome(n <= limit, limit, (int) Math.max(0, limit - n), reset);
        } catch (RuntimeException e) {
            LOG.warn("Rate limit not counted: Redis did not answer key={} error={}", key, e.toString());
            return new Outcome(true, limit, limit, windowSeconds);
        }
    }
}
