package dev.appstrate.desktop.ui.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.ui.Shown;

/** One delivery of a webhook: its event, outcome, attempts, the receiver's response code and latency. */
public record DeliveryRow(String id, String webhookId, String eventType, String status, String statusCode, String latency,
                          int attempt, int maxAttempts, String nextAttemptAt, String error, String createdAt) {
    static DeliveryRow of(JsonNode d) {
        JsonNode code = d.get("statusCode");
        JsonNode latency = d.get("latency");
        return new DeliveryRow(DesktopJson.text(d, "id"), DesktopJson.text(d, "webhookId"), DesktopJson.text(d, "eventType"),
                DesktopJson.text(d, "status"), code == null || code.isNull() ? "" : code.asText(),
                latency == null || latency.isNull() ? "" : latency.asLong() + " ms", d.path("attempt").asInt(),
                d.path("maxAttempts").asInt(), DesktopJson.text(d, "nextAttemptAt"), DesktopJson.text(d, "error"),
                DesktopJson.text(d, "createdAt"));
    }

    public String attempts() {
        return attempt + " / " + maxAttempts;
    }

    public String nextAttempt() {
        return Shown.when(nextAttemptAt);
    }

    public String created() {
        return Shown.when(createdAt);
    }
}
