package dev.appstrate.server.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Redis that {@code .ci/run} starts ({@code APPSTRATE_TEST_REDIS_URL}). Without it a Redis test fails with
 * how to start one, unless {@code -Dappstrate.test.skipRedis=true} skips it on purpose.
 */
public final class TestRedis {
    public static final String ENV = "APPSTRATE_TEST_REDIS_URL";

    private TestRedis() {
    }

    /** The server's base URL (database 0). */
    public static String url() {
        String url = System.getenv(ENV);
        if (url == null || url.isBlank()) {
            Assumptions.assumeFalse(Boolean.getBoolean("appstrate.test.skipRedis"), "skipped: -Dappstrate.test.skipRedis=true");
            throw new AssertionError(ENV + " is not set: start one with 'redis-server --port 6390 --save \"\" --daemonize yes' "
                    + "and export " + ENV + "=redis://127.0.0.1:6390 (.ci/run does this), or skip with -Dappstrate.test.skipRedis=true");
        }
        return url.replaceFirst("/\\d+$", "");
    }

    /** A URL on an emptied database of its own (1–15), so counters of earlier tests do not leak in. */
    public static String freshDatabase() {
        String url = url() + "/" + ThreadLocalRandom.current().nextInt(1, 16);
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().flushdb();
        } finally {
            client.shutdown();
        }
        return url;
    }
}
