package dev.appstrate.desktop.ui.webhooks;

import dev.appstrate.desktop.client.WebhooksApi;
import dev.appstrate.desktop.ui.Shown;
import java.util.List;

/** One webhook in the table, read from the WebhookInfo DTO. */
public record WebhookRow(String id, String url, List<String> events, boolean enabled, String createdAt,
                         String rotationEndsAt) {
    static WebhookRow of(WebhooksApi.Webhook w) {
        return new WebhookRow(w.id(), w.url(), w.events(), w.enabled(), w.createdAt(), w.rotationEndsAt());
    }

    public String status() {
        return enabled ? "enabled" : "disabled";
    }

    public String eventList() {
        return String.join(", ", events);
    }

    public String created() {
        return Shown.when(createdAt);
    }

    public String rotation() {
        return rotationEndsAt.isEmpty() ? "" : "old secret valid until " + Shown.when(rotationEndsAt);
    }
}
