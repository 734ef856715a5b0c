package dev.appstrate.server.tenancy;

import dev.appstrate.server.http.ListEnvelope;
import dev.appstrate.server.http.Validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.AuthContext;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Times;
import dev.appstrate.server.tenancy.ApiKey;
import dev.appstrate.server.tenancy.ApiKeyRepository;
import dev.appstrate.server.tenancy.ApiKeyService;
import dev.appstrate.server.tenancy.Scopes;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** {@code /api/api-keys}: raw key shown once at creation, only its SHA-256 stored. */
public final class ApiKeyRoutes {
    record CreateBody(String name, String expiresAt, List<String> scopes) {
    }

    private final ApiKeyService service;
    private final ApiKeyRepository repo;
    private final Clock clock;

    public ApiKeyRoutes(ApiKeyService service, ApiKeyRepository repo, Clock clock) {
        this.service = service;
        this.repo = repo;
        this.clock = clock;
    }

    public void register(Router r) {
        r.get("/api/api-keys/available-scopes", req -> ApiResponse.ok(ListEnvelope.of(Scopes.API_KEY_ALLOWED, false, null)))
                .appScoped()
                .permission("api-keys:read").doc("API keys", "Scopes an API key can be given");
        r.get("/api/api-keys", this::list)
                .appScoped().permission("api-keys:read").doc("API keys", "List active API keys of the application");
        r.post("/api/api-keys", this::create)
                .appScoped().permission("api-keys:create").doc("API keys", "Create an API key (raw key shown once)");
        r.delete("/api/api-keys/{id}", this::revoke)
                .appScoped().permission("api-keys:revoke").doc("API keys", "Revoke an API key");
    }

    static ObjectNode json(ApiKey k) {
        ObjectNode n = Json.object();
        n.put("id", k.id());
        n.put("name", k.name());
        n.put("keyPrefix", k.keyPrefix());
        n.set("scopes", Json.MAPPER.valueToTree(k.scopes()));
        n.put("created_by", k.createdBy());
        n.put("expiresAt", Times.iso(k.expiresAt()));
        n.put("lastUsedAt", Times.iso(k.lastUsedAt()));
        n.put("revokedAt", Times.iso(k.revokedAt()));
        n.put("createdAt", Times.iso(k.createdAt()));
        return n;
    }

    private ApiResponse list(ApiRequest req) {
        return ApiResponse.ok(ListEnvelope.of(repo.activeInApplication(req.applicationId()).stream().map(ApiKeyRoutes::json).toList(),
                false, null));
    }

    private ApiResponse create(ApiRequest req) {
        CreateBody b = req.body(CreateBody.class);
        Validation v = new Validation().required("name", b.name()).length("name", b.name(), 1, 100);
        Instant expires = null;
        if (b.expiresAt() != null) {
            try {
                expires = Instant.parse(b.expiresAt());
                v.check(expires.isAfter(clock.instant()), "expiresAt", "out_of_range", "Must be in the future");
            } catch (DateTimeParseException e) {
                v.check(false, "expiresAt", "invalid_format", "Must be an ISO 8601 date-time");
            }
        }
        v.throwIfAny();
        // requested scopes are filtered to what keys may hold, as the original does; none means all of them but
        // org:write (our own guard, not the original's): a key changes what every application uses only when asked for
        List<String> scopes = b.scopes() == null || b.scopes().isEmpty() ? Scopes.API_KEY_DEFAULT
                : b.scopes().stream().filter(Scopes.API_KEY_ALLOWED_SET::contains).distinct().toList();
        ApiKeyService.Created created = service.create(req.auth().orgId(), req.applicationId(), b.name(), scopes, expires,
                req.auth().userId());
        ObjectNode n = Json.object();
        n.put("id", created.key().id());
        n.put("key", created.rawKey());
        n.put("keyPrefix", created.key().keyPrefix());
        n.set("scopes", Json.MAPPER.valueToTree(scopes));
        return ApiResponse.created(n);
    }

    private ApiResponse revoke(ApiRequest req) {
        String id = req.pathParam("id");
        ApiKey key = repo.byId(id).filter(k -> k.revokedAt() == null && k.orgId().equals(req.auth().orgId()))
                .filter(k -> req.auth().kind() != AuthContext.Kind.API_KEY || k.applicationId().equals(req.applicationId()))
                .orElseThrow(() -> ApiException.notFound("API key '" + id + "' not found"));
        service.revoke(key);
        return ApiResponse.noContent();
    }
}
