package dev.appstrate.server.redis;

import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.config.RedisUrl;
import dev.appstrate.server.http.ApiException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis every instance shares (REDIS_URL): one command connection (Lettuce multiplexes it across threads), one
 * pub/sub connection, on two named I/O threads. Lettuce reconnects by itself after a blip; commands issued meanwhile
 * fail after the timeout and their callers log and go on.
 */
public final class SharedRedis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedRedis.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Every key this server writes starts with this, so a shared Redis can be inspected and flushed by prefix. */
    public static final String PREFIX = "appstrate:";

    private final RedisUrl url;
    private final String instanceId;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final Map<String, Consumer<String>> channels = new ConcurrentHashMap<>();

    private SharedRedis(RedisUrl url, String instanceId, ClientResources resources, RedisClient client,
                        StatefulRedisConnection<String, String> connection, StatefulRedisPubSubConnection<String, String> pubsub) {
        this.url = url;
        this.instanceId = instanceId;
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.pubsub = pubsub;
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                Consumer<String> c = channels.get(channel);
                if (c == null) {
                    return;
                }
                try {
                    c.accept(message);
                } catch (RuntimeException e) {
                    LOG.warn("Redis message handler failed channel={} error={}", channel, e.toString());
                }
            }
        });
    }

    /** Connects and pings; an unreachable server or a refused password is a {@link RedisUnavailableException}. */
    public static SharedRedis connect(RedisUrl url, String instanceId) {
        // reconnect attempts back off to at most 2 s (Lettuce's default is 30 s): a Redis that is back is used again at once
        // two computation threads: Lettuce warns at every boot below two
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .threadFactoryProvider(pool -> NamedExecutors.factory("redis-" + pool)).build();
        RedisURI uri = RedisURI.create(url.url());
        uri.setTimeout(TIMEOUT);
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder().socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
                .timeoutOptions(io.lettuce.core.TimeoutOptions.enabled(TIMEOUT)).build());
        StatefulRedisConnection<String, String> connection = null;
        try {
            connection = client.connect();
            connection.sync().ping();
            return new SharedRedis(url, instanceId, resources, client, connection, client.connectPubSub());
        } catch (RuntimeException e) {
            if (connection != null) {
                connection.close();
            }
            client.shutdown(0, 2, TimeUnit.SECONDS);
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw new RedisUnavailableException(url, reason(e, url));
        }
    }

    private static String reason(Throwable e, RedisUrl url) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return msg.replace(url.url(), url.masked());
    }

    /** False while the command connection is down (Lettuce is reconnecting): a caller that must not wait can say so at once. */
    public boolean connected() {
        return connection.isOpen();
    }

    /**
     * Runs a command a request cannot proceed without. While the connection is known down it does not wait the timeout;
     * then, as when the command fails, the request answers 503 with Retry-After before anything was written, so the
     * client retries rather than reading a 500 as a bug.
     */
    public <T> T required(Function<RedisCommands<String, String>, T> command) {
        if (!connected()) {
            throw unreachable(null);
        }
        try {
            return command.apply(sync());
        } catch (RedisException e) {
            throw unreachable(e);
        }
    }

    private ApiException unreachable(RuntimeException cause) {
        String reason = cause == null ? "the connection is down, reconnecting" : reason(cause, url);
        LOG.warn("Redis unreachable, request refused with 503 url={} error={}", url.masked(), reason);
        return new ApiException(503, "redis_unavailable", "Service Unavailable", "Redis unreachable at " + url.masked()
                + " (" + reason + "); nothing was done, retry in a few seconds.").header("Retry-After", "5");
    }

    /** Blocking commands (each waits at most the timeout). */
    public RedisCommands<String, String> sync() {
        return connection.sync();
    }

    /** Fire-and-forget commands, sent in call order on the one connection. */
    public RedisAsyncCommands<String, String> async() {
        return connection.async();
    }

    /** Hands every message on {@code channel} to {@code handler}, in order, on the pub/sub I/O thread (it must not block). */
    public void subscribe(String channel, Consumer<String> handler) {
        channels.put(channel, handler);
        pubsub.sync().subscribe(channel);
    }

    /** This process's id among the instances sharing Redis (random per boot). */
    public String instanceId() {
        return instanceId;
    }

    public RedisUrl url() {
        return url;
    }

    /** A closing step that throws nothing checked. */
    private interface Step extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    public void close() {
        // closed in reverse order, each step even when an earlier one threw: a failed close leaks no connection or thread
        try (Step threads = () -> resources.shutdown(0, 2, TimeUnit.SECONDS);
             Step sockets = () -> client.shutdown(0, 2, TimeUnit.SECONDS);
             StatefulRedisConnection<String, String> commands = connection;
             StatefulRedisPubSubConnection<String, String> subscriptions = pubsub) {
            // the steps are the resources: nothing to do between opening and closing them
        }
    }
}
