package dev.appstrate.server.tenancy;

import dev.appstrate.server.http.ListEnvelope;
import dev.appstrate.server.http.Validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.AuthContext;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Ids;
import dev.appstrate.server.store.Times;
import dev.appstrate.server.tenancy.Application;
import dev.appstrate.server.tenancy.ApplicationRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** {@code /api/applications}: the original's CRUD; API keys see and touch only their own application. */
public final class ApplicationRoutes {
    record CreateBody(String name, JsonNode settings) {
    }

    private final ApplicationRepository apps;
    private final Clock clock;

    public ApplicationRoutes(ApplicationRepository apps, Clock clock) {
        this.apps = apps;
        this.clock = clock;
    }

    public void register(Router r) {
        r.get("/api/applications", this::list).permission("applications:read").doc("Applications", "List applications");
        r.post("/api/applications", this::create).orgWide().permission("applications:write").doc("Applications", "Create an application");
        r.get("/api/applications/{id}", this::get).permission("applications:read").doc("Applications", "Get an application");
        r.patch("/api/applications/{id}", this::update).permission("applications:write").doc("Applications", "Update an application");
        r.delete("/api/applications/{id}", this::delete).permission("applications:delete").doc("Applications", "Delete an application");
    }

    public static ObjectNode json(Application a) {
        ObjectNode n = Json.object();
        n.put("object", "application");
        n.put("id", a.id());
        n.put("orgId", a.orgId());
        n.put("name", a.name());
        n.put("isDefault", a.isDefault());
        n.set("settings", a.settings());
        n.put("created_by", a.createdBy());
        n.put("createdAt", Times.iso(a.createdAt()));
        n.put("updatedAt", Times.iso(a.updatedAt()));
        return n;
    }

    private ApiResponse list(ApiRequest req) {
        List<ObjectNode> out = apps.all(req.auth().orgId()).stream()
                .filter(a -> req.auth().pinnedApplicationId() == null || a.id().equals(req.auth().pinnedApplicationId()))
                .map(ApplicationRoutes::json).toList();
        return ApiResponse.ok(ListEnvelope.of(out, false, null));
    }

    private Application find(ApiRequest req) {
        String id = req.pathParam("id");
        AuthContext auth = req.auth();
        if (auth.pinnedApplicationId() != null && !auth.pinnedApplicationId().equals(id)) {
            throw ApiException.forbidden("API key scope does not include this application");
        }
        return apps.byId(id).filter(a -> a.orgId().equals(auth.orgId()))
                .orElseThrow(() -> ApiException.notFound("Application '" + id + "' not found in this organization"));
    }

    private ApiResponse get(ApiRequest req) {
        return ApiResponse.ok(json(find(req)));
    }

    private ApiResponse create(ApiRequest req) {
        if (req.auth().kind() == AuthContext.Kind.API_KEY) {
            throw ApiException.forbidden("API keys cannot create applications");
        }
        CreateBody b = req.body(CreateBody.class);
        validate(b, true);
        Instant now = clock.instant();
        Application a = new Application(Ids.prefixed("app"), req.auth().orgId(), b.name().trim(), false,
                b.settings() == null ? Json.object() : b.settings(), req.auth().userId(), now, now);
        apps.insert(a);
        return ApiResponse.created(json(a));
    }

    private ApiResponse update(ApiRequest req) {
        Application a = find(req);
        CreateBody b = req.body(CreateBody.class);
        validate(b, false);
        Application updated = new Application(a.id(), a.orgId(), b.name() == null ? a.name() : b.name().trim(), a.isDefault(),
                b.settings() == null ? a.settings() : b.settings(), a.createdBy(), a.createdAt(), clock.instant());
        apps.update(updated);
        return ApiResponse.ok(json(updated));
    }

    private ApiResponse delete(ApiRequest req) {
        Application a = find(req);
        if (a.isDefault()) {
            throw ApiException.invalidRequest("Cannot delete default application", null);
        }
        apps.delete(a.id());
        return ApiResponse.noContent();
    }

    private static void validate(CreateBody b, boolean create) {
        Validation v = new Validation();
        if (create) {
            v.required("name", b.name());
        }
        v.length("name", b.name() == null ? null : b.name().trim(), 1, 100);
        if (b.settings() != null) {
            v.check(b.settings().isObject(), "settings", "invalid_type", "Expected an object");
            JsonNode domains = b.settings().get("allowedRedirectDomains");
            if (domains != null) {
                v.check(domains.isArray() && domains.size() <= 20, "settings.allowedRedirectDomains", "invalid_type",
                        "Expected an array of at most 20 domains");
            }
            b.settings().fieldNames().forEachRemaining(k -> v.check(k.equals("allowedRedirectDomains"), "settings." + k,
                    "unknown_field", "Unknown field '" + k + "'"));
        }
        v.throwIfAny();
    }
}
