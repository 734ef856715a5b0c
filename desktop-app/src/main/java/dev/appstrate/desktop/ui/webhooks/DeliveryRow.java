package dev.appstrate.desktop.ui.webhooks;

import dev.appstrate.desktop.client.WebhooksApi;
import dev.appstrate.desktop.ui.Shown;

/** One delivery of a webhook: its event, outcome, attempts, the receiver's response code and latency. */
public record DeliveryRow(String id, String webhookId, String eventType, String status, String statusCode, String latency,
                          int attempt, int maxAttempts, String nextAttemptAt, String error, String createdAt) {
    static DeliveryRow of(WebhooksApi.Delivery d) {
        return new DeliveryRow(d.id(), d.webhookId(), d.eventType(), d.status(), d.statusCode(), d.latency(), d.attempt(),
                d.maxAttempts(), d.nextAttemptAt(), d.error(), d.createdAt());
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
