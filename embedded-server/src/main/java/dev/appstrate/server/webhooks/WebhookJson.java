package dev.appstrate.server.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Times;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** Wire shapes: the original's {@code WebhookInfo} and delivery rows, plus attempts and the next retry. */
final class WebhookJson {
    private WebhookJson() {
    }

    static ObjectNode webhook(Webhook w, Instant now) {
        ObjectNode n = Json.object();
        n.put("id", w.id());
        n.put("object", "webhook");
        n.put("level", w.level());
        n.put("applicationId", w.applicationId());
        n.put("url", w.url());
        var events = n.putArray("events");
        w.events().forEach(events::add);
        n.put("packageId", w.packageId());
        n.put("payloadMode", w.payloadMode());
        n.put("enabled", w.enabled());
        n.put("createdAt", Times.iso(w.createdAt()));
        n.put("updatedAt", Times.iso(w.updatedAt()));
        n.put("rotationWindowEndsAt", w.rotating(now) ? Times.iso(w.secretNextExpiresAt()) : null);
        return n;
    }

    static ObjectNode delivery(Delivery d) {
        ObjectNode n = Json.object();
        n.put("id", d.id());
        n.put("object", "webhook_delivery");
        n.put("webhookId", d.webhookId());
        n.put("eventId", d.eventId());
        n.put("eventType", d.eventType());
        n.put("status", d.status());
        if (d.statusCode() == null) {
            n.putNull("statusCode");
        } else {
            n.put("statusCode", d.statusCode());
        }
        if (d.latencyMs() == null) {
            n.putNull("latency");
        } else {
            n.put("latency", d.latencyMs());
        }
        n.put("attempt", d.attempts());
        n.put("maxAttempts", d.maxAttempts());
        n.put("nextAttemptAt", Delivery.PENDING.equals(d.status()) ? Times.iso(d.nextAttemptAt()) : null);
        n.put("error", d.error());
        n.put("createdAt", Times.iso(d.createdAt()));
        n.put("updatedAt", Times.iso(d.updatedAt()));
        return n;
    }

    static ObjectNode deliveryDetail(Delivery d, List<DeliveryAttempt> attempts) {
        ObjectNode n = delivery(d);
        try {
            n.set("payload", Json.MAPPER.readTree(d.payload()));
        } catch (IOException e) {
            n.put("payload", d.payload());
        }
        var arr = n.putArray("attempts");
        for (DeliveryAttempt a : attempts) {
            ObjectNode o = arr.addObject();
            o.put("attempt", a.attempt());
            o.put("outcome", a.outcome());
            if (a.statusCode() == null) {
                o.putNull("statusCode");
            } else {
                o.put("statusCode", a.statusCode());
            }
            if (a.latencyMs() == null) {
                o.putNull("latency");
            } else {
                o.put("latency", a.latencyMs());
            }
            o.put("error", a.error());
            o.put("attemptedAt", Times.iso(a.attemptedAt()));
        }
        return n;
    }
}
