package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /api/webhooks}: outbound webhooks, their signed test pings, secret rotation and deliveries, read into records. */
public final class WebhooksApi {
    /** Every event a webhook can subscribe to, as the server lists them. */
    public static final List<String> EVENTS = List.of("run.started", "run.success", "run.failed", "run.timeout",
            "run.cancelled", "run.connection_missing");

    /** A webhook (its secret is never listed); {@code rotationEndsAt} is set while an old secret still signs. */
    public record Webhook(String id, String url, List<String> events, boolean enabled, String createdAt, String rotationEndsAt) {
        static Webhook of(JsonNode w) {
            List<String> events = new ArrayList<>();
            w.path("events").forEach(e -> events.add(e.asText()));
            return new Webhook(DesktopJson.text(w, "id"), DesktopJson.text(w, "url"), List.copyOf(events),
                    w.path("enabled").asBoolean(), DesktopJson.text(w, "createdAt"), DesktopJson.text(w, "rotationWindowEndsAt"));
        }
    }

    /** A webhook and its signing secret, given this once (on create and on rotate). */
    public record WithSecret(Webhook webhook, String secret) {
    }

    /** One delivery: event, outcome, attempts, the receiver's response code ("" when none) and latency. */
    public record Delivery(String id, String webhookId, String eventType, String status, String statusCode, String latency,
                           int attempt, int maxAttempts, String nextAttemptAt, String error, String createdAt) {
        static Delivery of(JsonNode d) {
            JsonNode code = d.get("statusCode");
            JsonNode latency = d.get("latency");
            return new Delivery(DesktopJson.text(d, "id"), DesktopJson.text(d, "webhookId"), DesktopJson.text(d, "eventType"),
                    DesktopJson.text(d, "status"), code == null || code.isNull() ? "" : code.asText(),
                    latency == null || latency.isNull() ? "" : latency.asLong() + " ms", d.path("attempt").asInt(),
                    d.path("maxAttempts").asInt(), DesktopJson.text(d, "nextAttemptAt"), DesktopJson.text(d, "error"),
                    DesktopJson.text(d, "createdAt"));
        }
    }

    /**
     * A test ping as the original answers it ({@code eventId}, {@code payload}); our server also says how the
     * delivery went, otherwise {@code delivery} is null and the outcome shows up in the deliveries.
     */
    public record TestPing(String eventId, Delivery delivery) {
        public static TestPing of(JsonNode r) {
            JsonNode d = r.get("delivery");
            return new TestPing(DesktopJson.text(r, "eventId"), d == null || !d.isObject() ? null : Delivery.of(d));
        }
    }

    private final AppstrateClient client;

    public WebhooksApi(AppstrateClient client) {
        this.client = client;
    }

    public List<Webhook> list() {
        List<Webhook> out = new ArrayList<>();
        client.get("/api/webhooks", Map.of()).path("data").forEach(w -> out.add(Webhook.of(w)));
        return out;
    }

    /**
     * Creates a webhook of the current application, in the original's body ({@code level: application} with its
     * {@code applicationId}); the answer holds its {@code secret}, returned this once.
     */
    public WithSecret create(String url, List<String> events) {
        ObjectNode body = DesktopJson.object().put("level", "application");
        String app = application();
        if (app != null) {
            body.put("applicationId", app);
        }
        body.put("url", url);
        events.forEach(body.putArray("events")::add);
        JsonNode w = client.send("POST", "/api/webhooks", body);
        return new WithSecret(Webhook.of(w), DesktopJson.text(w, "secret"));
    }

    /**
     * The application the webhook belongs to: the one chosen, else (an API key pins one) the default application
     * of the list, or the only one; null when the key may not list them.
     */
    private String application() {
        if (client.applicationId() != null) {
            return client.applicationId();
        }
        JsonNode apps;
        try {
            apps = client.get("/api/applications", Map.of()).path("data");
        } catch (ApiProblem p) {
            return null; // a key without applications:read: the server says what it needs
        }
        for (JsonNode a : apps) {
            if (a.path("isDefault").asBoolean()) {
                return DesktopJson.text(a, "id");
            }
        }
        return apps.size() == 1 ? DesktopJson.text(apps.get(0), "id") : null;
    }

    public Webhook setEnabled(String id, boolean enabled) {
        return Webhook.of(client.send("PUT", "/api/webhooks/" + id, DesktopJson.object().put("enabled", enabled)));
    }

    public void delete(String id) {
        client.send("DELETE", "/api/webhooks/" + id, Map.of(), null);
    }

    /** Sends a signed {@code test.ping} now. */
    public TestPing test(String id) {
        return TestPing.of(client.send("POST", "/api/webhooks/" + id + "/test", DesktopJson.object()));
    }

    /** A new secret ({@code secret}, shown once) signs alongside the old one until {@code rotationWindowEndsAt}. */
    public WithSecret rotate(String id) {
        JsonNode w = client.send("POST", "/api/webhooks/" + id + "/rotate", DesktopJson.object());
        return new WithSecret(Webhook.of(w), DesktopJson.text(w, "secret"));
    }

    public List<Delivery> deliveries(String id, int limit) {
        List<Delivery> out = new ArrayList<>();
        client.get("/api/webhooks/" + id + "/deliveries", Map.of("limit", String.valueOf(limit))).path("data")
                .forEach(d -> out.add(Delivery.of(d)));
        return out;
    }

    /** Redelivery is our server's; the original has none. */
    public boolean canRedeliver() {
        return client.capabilities().has(Capability.WEBHOOK_REDELIVERY);
    }

    public void redeliver(String id, String deliveryId) {
        client.send("POST", "/api/webhooks/" + id + "/deliveries/" + deliveryId + "/redeliver", DesktopJson.object());
    }
}
