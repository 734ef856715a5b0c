package dev.appstrate.desktop.remote;

import static dev.appstrate.desktop.remote.OriginalFixtureServer.problem;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.desktop.remote.OriginalFixtureServer.Answer;
import java.util.UUID;

/** The original's {@code /api/webhooks} operations, answered with its OpenAPI examples (there are no recorded ones). */
final class WebhookRoutes {
    private WebhookRoutes() {
    }

    static void install(OriginalFixtureServer f, FixtureState s, OriginalApi api) {
        f.route("GET", "/api/webhooks", "webhooks:read", c -> Answer.ok(FixtureRoutes.list(s.webhooks, w -> true, false)));
        f.route("POST", "/api/webhooks", "webhooks:write", c -> {
            if ("org".equals(c.body().path("level").asText())) {
                return problem(403, "forbidden", "Forbidden", "API keys cannot create org-level webhooks");
            }
            if (!OriginalFixtureServer.APPLICATION_ID.equals(c.body().path("applicationId").asText())) {
                return problem(403, "forbidden", "Forbidden", "API key scope does not include this application");
            }
            ObjectNode w = (ObjectNode) example(api, "POST", "/api/webhooks", 201);
            w.put("id", "wh_" + UUID.randomUUID());
            c.body().fields().forEachRemaining(e -> w.set(e.getKey(), e.getValue()));
            ObjectNode stored = w.deepCopy();
            stored.remove("secret"); // returned once
            s.webhooks.add(stored);
            return new Answer(201, w);
        });
        f.route("PUT", "/api/webhooks/{id}", "webhooks:write", c -> {
            ObjectNode w = s.webhook(c.param("id"));
            if (w == null) {
                return problem(404, "not_found", "Not Found", "Webhook not found");
            }
            c.body().fields().forEachRemaining(e -> w.set(e.getKey(), e.getValue()));
            return Answer.ok(w);
        });
        f.route("DELETE", "/api/webhooks/{id}", "webhooks:delete",
                c -> s.webhooks.removeIf(w -> w.path("id").asText().equals(c.param("id"))) ? new Answer(204, null)
                        : problem(404, "not_found", "Not Found", "Webhook not found"));
        f.route("POST", "/api/webhooks/{id}/test", "webhooks:write", c -> s.webhook(c.param("id")) == null
                ? problem(404, "not_found", "Not Found", "Webhook not found")
                : Answer.ok(example(api, "POST", "/api/webhooks/{id}/test", 200)));
        f.route("POST", "/api/webhooks/{id}/rotate", "webhooks:write", c -> s.webhook(c.param("id")) == null
                ? problem(404, "not_found", "Not Found", "Webhook not found")
                : Answer.ok(example(api, "POST", "/api/webhooks/{id}/rotate", 200)));
        f.route("GET", "/api/webhooks/{id}/deliveries", "webhooks:read", c -> s.webhook(c.param("id")) == null
                ? problem(404, "not_found", "Not Found", "Webhook not found")
                : Answer.ok(example(api, "GET", "/api/webhooks/{id}/deliveries", 200)));
    }

    private static com.fasterxml.jackson.databind.JsonNode example(OriginalApi api, String method, String template, int status) {
        return api.operation(method, template).orElseThrow().example(status).deepCopy();
    }
}
