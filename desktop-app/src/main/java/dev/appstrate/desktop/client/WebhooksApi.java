package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** {@code /api/webhooks}: outbound webhooks, their signed test pings, secret rotation and deliveries. */
public final class WebhooksApi {
    /** Every event a webhook can subscribe to, as the server lists them. */
    public static final List<String> EVENTS = List.of("run.started", "run.success", "run.failed", "run.timeout",
            "run.cancelled", "run.connection_missing");

    private final AppstrateClient client;

    public WebhooksApi(AppstrateClient client) {
        this.client = client;
    }

    public JsonNode list() {
        return client.get("/api/webhooks", Map.of());
    }

    /** Creates a webhook of the current application; the answer holds its {@code secret}, returned this once. */
    public JsonNode create(String url, List<String> events) {
        // the original's body names the level (an API key may only create application webhooks); ours accepts it too
        ObjectNode body = DesktopJson.object().put("level", "application");
        if (client.applicationId() != null) {
            body.put("applicationId", client.applicationId());
        }
        body.put("url", url);
        events.forEach(body.putArray("events")::add);
        return client.send("POST", "/api/webhooks", body);
    }

    public JsonNode update(String id, ObjectNode changes) {
        return client.send("PUT", "/api/webhooks/" + id, changes);
    }

    public void delete(String id) {
        client.send("DELETE", "/api/webhooks/" + id, Map.of(), null);
    }

    /** Sends a signed {@code test.ping} now; answers {eventId, delivery}. */
    public JsonNode test(String id) {
        return client.send("POST", "/api/webhooks/" + id + "/test", DesktopJson.object());
    }

    /** A new secret ({@code secret}, shown once) signs alongside the old one until {@code rotationWindowEndsAt}. */
    public JsonNode rotate(String id) {
        return client.send("POST", "/api/webhooks/" + id + "/rotate", DesktopJson.object());
    }

    public JsonNode deliveries(String id, int limit) {
        return client.get("/api/webhooks/" + id + "/deliveries", Map.of("limit", String.valueOf(limit)));
    }

    public JsonNode redeliver(String id, String deliveryId) {
        return client.send("POST", "/api/webhooks/" + id + "/deliveries/" + deliveryId + "/redeliver", DesktopJson.object());
    }
}
