package dev.appstrate.server.redis;

import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.runs.RunOwnership;
import dev.appstrate.server.runs.RunRecord;
import dev.appstrate.server.store.Times;
import io.lettuce.core.SetArgs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run ownership in Redis, no schema change: {@code appstrate:instance:<id>} is this instance's heartbeat (a key whose
 * TTL is the instance timeout, refreshed three times per timeout), {@code appstrate:run-owner:<runId>} names the
 * instance running a run. A run whose owner's heartbeat key has expired belongs to a dead instance.
 */
public final class RedisRunOwnership implements RunOwnership, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRunOwnership.class);
    /** An owner key outlives any run (the timeout ceiling is hours): it only guards against leaks. */
    private static final Duration OWNER_KEY_TTL = Duration.ofDays(7);
    private static final String STOP_CHANNEL = SharedRedis.PREFIX + "run-stop";
    private final SharedRedis redis;
    private final Duration timeout;
    private final Clock clock;
    private final String selfKey;
    private final ScheduledExecutorService heartbeat = NamedExecutors.scheduled("instance-heartbeat", 1);

    public RedisRunOwnership(SharedRedis redis, Duration timeout, Clock clock) {
        this.redis = redis;
        this.timeout = timeout;
        this.clock = clock;
        this.selfKey = instanceKey(redis.instanceId());
    }

    /** Announces this instance and keeps announcing it until closed. */
    public void start(String url) {
        beat(url);
        long every = Math.max(200, timeout.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(() -> beat(url), every, every, TimeUnit.MILLISECONDS);
        LOG.info("Instance heartbeat started instanceId={} timeoutSeconds={}", redis.instanceId(), timeout.toSeconds());
    }

    private void beat(String url) {
        try {
            redis.sync().set(selfKey, url, SetArgs.Builder.px(timeout.toMillis()));
        } catch (RuntimeException e) {
            LOG.warn("Instance heartbeat not written instanceId={} error={}", redis.instanceId(), e.toString());
        }
    }

    @Override
    public void claim(String runId) {
        // a run no peer knows the owner of could be failed by them: refuse it (503, before its row exists) instead
        redis.required(c -> c.set(ownerKey(runId), redis.instanceId(), SetArgs.Builder.ex(OWNER_KEY_TTL.toSeconds())));
    }

    @Override
    public void release(String runId) {
        try {
            redis.sync().del(ownerKey(runId));
        } catch (RuntimeException e) {
            LOG.warn("Run owner key not removed runId={} error={}", runId, e.toString());
        }
    }

    @Override
    public boolean runByLivePeer(RunRecord run) {
        String owner = redis.sync().get(ownerKey(run.id()));
        if (owner == null) {
            // no owner recorded: a peer may be between its claim and our read, so only an old run is an orphan
            Instant started = run.timing().startedAt() == null ? Instant.EPOCH : Times.parse(run.timing().startedAt());
            return started.isAfter(clock.instant().minus(timeout));
        }
        return !owner.equals(redis.instanceId()) && redis.sync().exists(instanceKey(owner)) > 0;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public void requestStop(String runId) {
        redis.async().publish(STOP_CHANNEL, runId);
    }

    /** Hands each run another instance asks to stop to {@code stop}, on {@code executor} (stopping a runner waits). */
    public void onStopRequest(Consumer<String> stop, Executor executor) {
        redis.subscribe(STOP_CHANNEL, runId -> executor.execute(() -> stop.accept(runId)));
    }

    /** Stops the heartbeat and withdraws this instance at once, so peers take over its runs without waiting. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            redis.sync().del(selfKey);
        } catch (RuntimeException e) {
            LOG.warn("Instance heartbeat key not removed instanceId={} error={}", redis.instanceId(), e.toString());
        }
    }

    private static String instanceKey(String instanceId) {
        return SharedRedis.PREFIX + "instance:" + instanceId;
    }

    private static String ownerKey(String runId) {
        return SharedRedis.PREFIX + "run-owner:" + runId;
    }
}
