package dev.appstrate.desktop.ui.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.ui.Shown;
import java.util.ArrayList;
import java.util.List;

/** One webhook in the table, read from the WebhookInfo DTO. */
public record WebhookRow(String id, String url, List<String> events, boolean enabled, String createdAt,
                         String rotationEndsAt) {
    static WebhookRow of(JsonNode w) {
        List<String> events = new ArrayList<>();
        w.path("events").forEach(e -> events.add(e.asText()));
        return new WebhookRow(DesktopJson.text(w, "id"), DesktopJson.text(w, "url"), List.copyOf(events),
                w.path("enabled").asBoolean(), DesktopJson.text(w, "createdAt"), DesktopJson.text(w, "rotationWindowEndsAt"));
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
