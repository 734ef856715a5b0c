package dev.appstrate.server.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.realtime.RunEvent;
import dev.appstrate.server.realtime.RunEventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run status and log events across instances: every event published on this instance's bus is also published on one
 * Redis channel (in publish order, on one connection), and events from the other instances are handed to this
 * instance's subscribers in the order Redis delivers them. Logs are committed before they are published, so a peer's
 * SSE client can always fill a gap from the shared database with Last-Event-ID.
 */
public final class RedisRunEventRelay {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRunEventRelay.class);
    static final String CHANNEL = SharedRedis.PREFIX + "run-events";
    private final SharedRedis redis;
    private final RunEventBus bus;

    public RedisRunEventRelay(SharedRedis redis, RunEventBus bus) {
        this.redis = redis;
        this.bus = bus;
    }

    /** Starts relaying both ways. */
    public void start() {
        redis.subscribe(CHANNEL, this::received);
        bus.relayTo(this::send);
    }

    private void send(RunEvent e) {
        ObjectNode o = Json.object().put("instance", redis.instanceId()).put("channel", e.channel())
                .put("applicationId", e.applicationId()).put("runId", e.runId()).put("logId", e.logId());
        o.set("payload", e.payload());
        redis.async().publish(CHANNEL, Json.string(o)).exceptionally(t -> {
            LOG.warn("Run event not relayed to other instances runId={} channel={} error={}", e.runId(), e.channel(), t.toString());
            return 0L;
        });
    }

    private void received(String message) {
        JsonNode o = RedisJson.read(message);
        if (redis.instanceId().equals(o.path("instance").asText())) {
            return; // this instance's own event: its subscribers already have it
        }
        bus.publishFromPeer(new RunEvent(o.get("channel").asText(), o.get("applicationId").asText(), o.get("runId").asText(),
                o.get("logId").asLong(), o.get("payload")));
    }
}
