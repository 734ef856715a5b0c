package dev.appstrate.desktop.remote;

import static dev.appstrate.desktop.remote.OriginalFixtureServer.JSON;
import static dev.appstrate.desktop.remote.OriginalFixtureServer.problem;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.desktop.remote.OriginalFixtureServer.Answer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The original's operations the fixture answers, with the permission each requires (null: no guard, as the original's
 * {@code GET /api/agents}, {@code /api/runs}, {@code /api/schedules}). Bodies come from the transcript or the
 * document's examples; created things are kept in {@link FixtureState}.
 */
final class FixtureRoutes {
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private FixtureRoutes() {
    }

    static void install(OriginalFixtureServer f, FixtureState s) {
        OriginalApi api = OriginalApi.get();
        Transcript t = s.transcript();
        // agents and packages
        f.route("GET", "/api/agents", null, c -> Answer.ok(list(s.agents, a -> true, false)));
        f.route("GET", "/api/packages/agents/{scope}/{name}", "agents:read", c -> {
            String id = c.param("scope") + "/" + c.param("name");
            ObjectNode a = s.agent(id);
            if (a == null) {
                return problem(404, "not_found", "Not Found", "Agent '" + id + "' not found");
            }
            ObjectNode d = (ObjectNode) t.body("Agent detail — GET /api/packages/agents/@bench-org/hello-world");
            d.put("id", id).put("display_name", a.path("display_name").asText()).put("description", a.path("description").asText());
            ((ObjectNode) d.path("manifest")).put("name", id).put("display_name", a.path("display_name").asText());
            return Answer.ok(d);
        });
        f.route("GET", "/api/packages/agents/{scope}/{name}/versions", "agents:read",
                c -> Answer.ok(JSON.createObjectNode().set("versions", JSON.createArrayNode())));
        f.route("POST", "/api/packages/import", "agents:write", c -> new Answer(201,
                api.operation("POST", "/api/packages/import").orElseThrow().example(201)));
        // runs
        f.route("POST", "/api/agents/{scope}/{name}/run", "agents:run", c -> {
            if (s.models.isEmpty()) {
                return new Answer(400, t.body("Trigger a run — POST"));
            }
            return new Answer(201, s.newRun(c.param("scope") + "/" + c.param("name"), "running"));
        });
        f.route("GET", "/api/runs", null, c -> Answer.ok(runs(s, c, r -> true)));
        f.route("GET", "/api/agents/{scope}/{name}/runs", null,
                c -> Answer.ok(runs(s, c, r -> r.path("packageId").asText().equals(c.param("scope") + "/" + c.param("name")))));
        f.route("GET", "/api/runs/{id}", null, c -> found(s.run(c.param("id")), "Run"));
        f.route("POST", "/api/runs/{id}/cancel", "runs:cancel", c -> {
            ObjectNode r = s.run(c.param("id"));
            if (r == null) {
                return problem(404, "not_found", "Not Found", "Run not found");
            }
            if (!List.of("pending", "running").contains(r.path("status").asText())) {
                return problem(409, "conflict", "Conflict", "Run is not cancellable (status: " + r.path("status").asText() + ")");
            }
            r.put("status", "cancelled").put("completed_at", Instant.now().toString());
            return Answer.ok(r);
        });
        f.route("DELETE", "/api/agents/{scope}/{name}/runs", "runs:delete", c -> {
            String id = c.param("scope") + "/" + c.param("name");
            int before = s.runs.size();
            s.runs.removeIf(r -> r.path("packageId").asText().equals(id));
            return Answer.ok(JSON.createObjectNode().put("deleted_count", before - s.runs.size()));
        });
        f.route("GET", "/api/runs/{id}/logs", null, c -> {
            List<ObjectNode> lines = s.logs.getOrDefault(c.param("id"), List.of());
            long since = c.query().getValue("since") == null ? 0 : Long.parseLong(c.query().getValue("since"));
            return Answer.ok(list(lines, l -> l.path("id").asLong() > since, false));
        });
        f.route("GET", "/api/realtime/runs", "runs:read", c -> null);
        f.route("GET", "/api/realtime/runs/{id}", "runs:read", c -> null);
        // models: reading and choosing the default only; provider keys are never an API key's (403 as the original)
        f.route("GET", "/api/models", "models:read", c -> Answer.ok(list(s.models, m -> true, false)));
        f.route("PUT", "/api/models/default", "models:write", c -> {
            String id = c.body().path("modelId").asText();
            ObjectNode m = s.models.stream().filter(x -> x.path("id").asText().equals(id)).findFirst().orElse(null);
            if (m == null) {
                return problem(404, "not_found", "Not Found", "Model not found");
            }
            s.models.forEach(x -> x.put("is_default", x == m));
            return Answer.ok(m);
        });
        for (String[] mpc : new String[][] {{"GET", "/api/model-provider-credentials", "read"},
                {"POST", "/api/model-provider-credentials", "write"}, {"PUT", "/api/model-provider-credentials/{id}", "write"},
                {"DELETE", "/api/model-provider-credentials/{id}", "delete"}, {"POST", "/api/model-provider-credentials/{id}/test", "write"}}) {
            f.route(mpc[0], mpc[1], "model-provider-credentials:" + mpc[2], c -> problem(500, "internal_error", "Internal", "unreachable"));
        }
        f.route("GET", "/api/api-keys", "api-keys:read", c -> problem(500, "internal_error", "Internal", "unreachable"));
        f.route("POST", "/api/api-keys", "api-keys:create", c -> problem(500, "internal_error", "Internal", "unreachable"));
        f.route("DELETE", "/api/api-keys/{id}", "api-keys:revoke", c -> problem(500, "internal_error", "Internal", "unreachable"));
        // applications: a key sees only its own
        f.route("GET", "/api/applications", "applications:read", c -> {
            ObjectNode l = (ObjectNode) t.body("List applications of the org");
            return Answer.ok(l);
        });
        // schedules
        f.route("GET", "/api/schedules", null, c -> Answer.ok(list(s.schedules, x -> true, false)));
        f.route("GET", "/api/agents/{scope}/{name}/schedules", null, c -> Answer.ok(list(s.schedules,
                x -> x.path("packageId").asText().equals(c.param("scope") + "/" + c.param("name")), false)));
        f.route("GET", "/api/schedules/{id}", null, c -> found(s.schedule(c.param("id")), "Schedule"));
        f.route("POST", "/api/agents/{scope}/{name}/schedules", "schedules:write", c -> {
            if (!validCron(c.body().path("cron_expression").asText())) {
                return new Answer(400, t.body("Invalid cron expression → 400"));
            }
            ObjectNode sc = (ObjectNode) t.body("Create a schedule — POST");
            sc.put("id", "sched_" + UUID.randomUUID()).put("packageId", c.param("scope") + "/" + c.param("name"))
                    .put("createdAt", Instant.now().toString()).put("updatedAt", Instant.now().toString());
            c.body().fields().forEachRemaining(e -> sc.set(e.getKey(), e.getValue()));
            s.schedules.add(sc);
            return new Answer(201, sc);
        });
        f.route("PUT", "/api/schedules/{id}", "schedules:write", c -> {
            ObjectNode sc = s.schedule(c.param("id"));
            if (sc == null) {
                return problem(404, "not_found", "Not Found", "Schedule not found");
            }
            if (c.body().has("cron_expression") && !validCron(c.body().path("cron_expression").asText())) {
                return new Answer(400, t.body("Invalid cron expression → 400"));
            }
            c.body().fields().forEachRemaining(e -> sc.set(e.getKey(), e.getValue()));
            return Answer.ok(sc);
        });
        f.route("DELETE", "/api/schedules/{id}", "schedules:delete",
                c -> s.schedules.removeIf(x -> x.path("id").asText().equals(c.param("id"))) ? new Answer(204, null)
                        : problem(404, "not_found", "Not Found", "Schedule not found"));
        f.route("GET", "/api/schedules/{id}/runs", null,
                c -> Answer.ok(runs(s, c, r -> r.path("scheduleId").asText().equals(c.param("id")))));
        // integrations (the list; screens add detail routes as a test needs them)
        f.route("GET", "/api/integrations", "integrations:read", c -> {
            ObjectNode l = list(s.integrations, x -> true, false);
            l.put("total", s.integrations.size());
            return Answer.ok(l);
        });
        WebhookRoutes.install(f, s, api);
    }

    static boolean validCron(String expr) {
        try {
            CRON.parse(expr).validate();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static Answer found(ObjectNode node, String what) {
        return node == null ? problem(404, "not_found", "Not Found", what + " not found") : Answer.ok(node);
    }

    static ObjectNode list(List<ObjectNode> items, Predicate<ObjectNode> keep, boolean withTotal) {
        ObjectNode l = JSON.createObjectNode().put("object", "list");
        ArrayNode data = l.putArray("data");
        items.stream().filter(keep).forEach(data::add);
        l.put("hasMore", false);
        if (withTotal) {
            l.put("total", data.size());
        }
        return l;
    }

    private static ObjectNode runs(FixtureState s, OriginalFixtureServer.Call c, Predicate<ObjectNode> keep) {
        String status = c.query().getValue("status");
        int limit = c.query().getValue("limit") == null ? 20 : Integer.parseInt(c.query().getValue("limit"));
        int offset = c.query().getValue("offset") == null ? 0 : Integer.parseInt(c.query().getValue("offset"));
        List<ObjectNode> all = s.runs.stream().filter(keep)
                .filter(r -> status == null || status.isBlank() || r.path("status").asText().equals(status)).toList();
        ObjectNode l = list(all.stream().skip(offset).limit(limit).toList(), r -> true, false);
        l.put("total", all.size());
        l.put("hasMore", offset + limit < all.size());
        return l;
    }

    static JsonNode copy(JsonNode n) {
        return n.deepCopy();
    }
}
