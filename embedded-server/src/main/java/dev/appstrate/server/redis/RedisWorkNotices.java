package dev.appstrate.server.redis;

import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work one instance queued that another may have to pick up (a schedule changed, webhook deliveries queued), told over
 * pub/sub so the others re-read the database at once instead of polling it; the database claims decide who runs it.
 */
public final class RedisWorkNotices {
    private static final Logger LOG = LoggerFactory.getLogger(RedisWorkNotices.class);
    static final String CHANNEL = SharedRedis.PREFIX + "work-queued";
    public static final String SCHEDULES = "schedules";
    public static final String DELIVERIES = "deliveries";
    private final SharedRedis redis;

    public RedisWorkNotices(SharedRedis redis) {
        this.redis = redis;
    }

    /** Tells the other instances that work of this kind changed here. */
    public void publish(String kind) {
        redis.async().publish(CHANNEL, redis.instanceId() + " " + kind).exceptionally(t -> {
            LOG.warn("Work notice not sent to other instances kind={} error={}", kind, t.toString());
            return 0L;
        });
    }

    /** Runs the handler of each kind another instance announces, on {@code executor} (handlers read the database). */
    public void subscribe(Map<String, Runnable> handlers, Executor executor) {
        String own = redis.instanceId() + " ";
        redis.subscribe(CHANNEL, message -> {
            if (message.startsWith(own)) {
                return; // this instance's own notice: it already re-read
            }
            Runnable handler = handlers.get(message.substring(message.indexOf(' ') + 1));
            if (handler != null) {
                executor.execute(handler);
            }
        });
    }
}
