package dev.appstrate.server.tenancy;

import dev.appstrate.server.http.ListEnvelope;
import dev.appstrate.server.http.Validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Ids;
import dev.appstrate.server.store.Times;
import dev.appstrate.server.tenancy.EndUserRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code /api/end-users}: the original's strict bodies, {@code eu_} ids and cursor pagination. */
public final class EndUserRoutes {
    record Body(JsonNode name, JsonNode email, JsonNode externalId, JsonNode metadata) {
    }

    private final EndUserRepository repo;
    private final Clock clock;

    public EndUserRoutes(EndUserRepository repo, Clock clock) {
        this.repo = repo;
        this.clock = clock;
    }

    public void register(Router r) {
        r.post("/api/end-users", this::create).appScoped().rateLimit(60).idempotencyKey().permission("end-users:write")
                .doc("End users", "Create an end-user");
        r.get("/api/end-users", this::list)
                .appScoped().rateLimit(300).permission("end-users:read").doc("End users", "List end-users");
        r.get("/api/end-users/{id}", this::get)
                .appScoped().rateLimit(300).permission("end-users:read").doc("End users", "Get an end-user");
        r.patch("/api/end-users/{id}", this::update)
                .appScoped().rateLimit(60).permission("end-users:write").doc("End users", "Update an end-user");
        r.delete("/api/end-users/{id}", this::delete)
                .appScoped().rateLimit(60).permission("end-users:delete").doc("End users", "Delete an end-user");
    }

    private ApiResponse create(ApiRequest req) {
        Body b = req.body(Body.class);
        validate(b);
        String now = Times.iso(clock.instant());
        ObjectNode eu = Json.object();
        eu.put("id", Ids.prefixed("eu"));
        eu.put("object", "end_user");
        eu.put("applicationId", req.applicationId());
        apply(eu, b, true);
        eu.put("createdAt", now);
        eu.put("updatedAt", now);
        refuseTaken(repo.insertUnlessTaken(eu, req.auth().orgId()));
        return ApiResponse.created(eu);
    }

    private ObjectNode find(ApiRequest req) {
        String id = req.pathParam("id");
        return repo.byId(req.applicationId(), id)
                .orElseThrow(() -> ApiException.notFound("End-user '" + id + "' not found in this application"));
    }

    private ApiResponse get(ApiRequest req) {
        return ApiResponse.ok(find(req));
    }

    private ApiResponse update(ApiRequest req) {
        ObjectNode eu = find(req);
        Body b = req.body(Body.class);
        validate(b);
        apply(eu, b, false);
        eu.put("updatedAt", Times.iso(clock.instant()));
        refuseTaken(repo.updateUnlessTaken(eu));
        return ApiResponse.ok(eu);
    }

    private ApiResponse delete(ApiRequest req) {
        ObjectNode eu = find(req);
        repo.delete(req.applicationId(), eu.get("id").asText());
        return ApiResponse.noContent();
    }

    private ApiResponse list(ApiRequest req) {
        int limit = dev.appstrate.server.http.ListEnvelope.limit(req, 20, 100);
        String after = req.queryParam("startingAfter").orElse(null);
        String before = req.queryParam("endingBefore").orElse(null);
        if (after != null && before != null) {
            throw ApiException.invalidRequest("startingAfter and endingBefore cannot be used together", "startingAfter");
        }
        List<ObjectNode> rows = new ArrayList<>(repo.page(req.applicationId(), limit, after, before,
                req.queryParam("externalId").orElse(null), req.queryParam("email").orElse(null),
                req.queryParam("search").orElse(null)));
        boolean hasMore = rows.size() > limit;
        if (hasMore) {
            if (before != null) {
                rows.remove(0);
            } else {
                rows.remove(rows.size() - 1);
            }
        }
        ObjectNode env = ListEnvelope.of(rows, hasMore, null);
        env.put("limit", limit);
        ApiResponse r = ApiResponse.ok(env);
        if (!rows.isEmpty()) {
            List<String> links = new ArrayList<>();
            Map<String, String> q = new TreeMap<>(req.query());
            q.remove("startingAfter");
            q.remove("endingBefore");
            if (hasMore || before != null) {
                Map<String, String> next = new TreeMap<>(q);
                next.put("startingAfter", rows.get(rows.size() - 1).get("id").asText());
                links.add("<" + ListEnvelope.url(req, next) + ">; rel=\"next\"");
            }
            if (after != null || (before != null && hasMore)) {
                Map<String, String> prev = new TreeMap<>(q);
                prev.put("endingBefore", rows.get(0).get("id").asText());
                links.add("<" + ListEnvelope.url(req, prev) + ">; rel=\"prev\"");
            }
            if (!links.isEmpty()) {
                r.header("Link", String.join(", ", links));
            }
        }
        return r;
    }

    private static void refuseTaken(String field) {
        if ("externalId".equals(field)) {
            throw ApiException.conflict("external_id_taken", "An end-user with this externalId already exists in this application")
                    .param("externalId");
        }
        if ("email".equals(field)) {
            throw ApiException.conflict("email_taken", "An end-user with this email already exists in this application")
                    .param("email");
        }
    }

    private static void apply(ObjectNode eu, Body b, boolean create) {
        set(eu, "name", b.name(), create);
        set(eu, "email", b.email(), create);
        set(eu, "externalId", b.externalId(), create);
        set(eu, "metadata", b.metadata(), create);
    }

    private static void set(ObjectNode eu, String field, JsonNode value, boolean create) {
        if (value != null) {
            eu.set(field, value);
        } else if (create) {
            eu.putNull(field);
        }
    }

    private static void validate(Body b) {
        Validation v = new Validation();
        stringOrNull(v, "name", b.name(), 200);
        stringOrNull(v, "externalId", b.externalId(), 255);
        stringOrNull(v, "email", b.email(), 320);
        if (b.email() != null && b.email().isTextual()) {
            v.check(b.email().asText().matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"), "email", "invalid_format", "Invalid email");
        }
        JsonNode m = b.metadata();
        if (m != null && !m.isNull()) {
            if (!m.isObject()) {
                v.check(false, "metadata", "invalid_type", "Expected an object");
            } else {
                v.check(m.size() <= 50, "metadata", "out_of_range", "At most 50 keys");
                m.fields().forEachRemaining(e -> {
                    String k = e.getKey();
                    JsonNode val = e.getValue();
                    v.check(k.length() >= 1 && k.length() <= 40, "metadata." + k, "invalid_key", "Keys must be 1 to 40 characters");
                    v.check(val.isNull() || val.isNumber() || val.isBoolean() || (val.isTextual() && val.asText().length() <= 500),
                            "metadata." + k, "invalid_type", "Values must be strings (at most 500 characters), numbers, booleans or null");
                });
            }
        }
        v.throwIfAny();
    }

    private static void stringOrNull(Validation v, String field, JsonNode value, int max) {
        if (value == null || value.isNull()) {
            return;
        }
        v.check(value.isTextual(), field, "invalid_type", "Expected a string or null");
        if (value.isTextual()) {
            v.length(field, value.asText(), 0, max);
        }
    }
}
