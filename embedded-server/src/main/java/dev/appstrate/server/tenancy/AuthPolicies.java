package dev.appstrate.server.tenancy;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.AuthContext;
import dev.appstrate.server.http.IdempotencyStore;
import dev.appstrate.server.http.RateLimiter;
import dev.appstrate.server.http.RequestPolicies;
import dev.appstrate.server.http.Route;
import java.util.HashSet;
import java.util.Set;

/**
 * Authentication (owner credential or API key), application context (X-App-Id or X-Application-Id;
 * keys pin theirs), API-key scopes, rate limits and idempotency, with the original's errors.
 */
public final class AuthPolicies implements RequestPolicies {
    private final OwnerCredential owner;
    private final ApiKeyService keys;
    private final ApplicationRepository applications;
    private static final String END_USER_HEADER = "Appstrate-User";
    private final Tenancy tenancy;
    private final RateLimiter limiter;
    private final IdempotencyStore idempotency;
    private final AuthContext ownerContext;

    public AuthPolicies(OwnerCredential owner, ApiKeyService keys, ApplicationRepository applications, Tenancy tenancy,
                        RateLimiter limiter, IdempotencyStore idempotency) {
        this.owner = owner;
        this.keys = keys;
        this.applications = applications;
        this.tenancy = tenancy;
        this.limiter = limiter;
        this.idempotency = idempotency;
        // a deleted application's keys stop working at once, not when their cache entry expires
        applications.onDelete(keys::forgetApplication);
        this.ownerContext = new AuthContext(AuthContext.Kind.OWNER, Tenancy.OWNER_USER_ID, tenancy.orgId(), null, null,
                Set.of("*"));
    }

    @Override
    public AuthContext authenticate(ApiRequest request) {
        String token = request.bearerToken();
        AuthContext ctx = token == null || token.isEmpty() ? null : authenticateToken(token);
        if (ctx == null && request.queryCredentials()) {
            throw ApiException.unauthorized("Invalid session or org"); // the original SSE's one refusal
        }
        if (token == null || token.isEmpty()) {
            throw ApiException.unauthorized("Invalid or missing session");
        }
        if (ctx == null) {
            throw ApiException.unauthorized(token.startsWith("ask_") ? "Invalid or expired API key" : "Invalid or missing session")
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        String orgHeader = request.header("X-Org-Id");
        // an API key pins its org and the original ignores the header then; the owner is a member of this org only
        if (ctx.kind() != AuthContext.Kind.API_KEY && orgHeader != null && !orgHeader.isEmpty() && !orgHeader.equals(ctx.orgId())) {
            throw ApiException.forbidden("You are not a member of this organization");
        }
        String endUser = request.header(END_USER_HEADER);
        if (endUser == null || endUser.isEmpty()) {
            return ctx;
        }
        if (ctx.kind() != AuthContext.Kind.API_KEY) {
            throw ApiException.invalidRequest("Appstrate-User header is only allowed with API key authentication",
                    END_USER_HEADER).codeOverride("header_not_allowed");
        }
        // the original checks it for every request of the key, not only where connections are read: a run asked for as an
        // end-user of another application (or of none) is refused, never started as the key's creator
        if (!endUser.startsWith("eu_")) {
            throw ApiException.invalidRequest("Appstrate-User must be an end-user id (eu_…)", END_USER_HEADER)
                    .codeOverride("invalid_end_user_id");
        }
        if (ctx.pinnedApplicationId() == null || !tenancy.endUserInApplication(ctx.pinnedApplicationId(), endUser)) {
            throw new ApiException(403, "invalid_end_user", "Forbidden", "End-user " + endUser + " does not exist in this application")
                    .param(END_USER_HEADER);
        }
        return ctx.asEndUser(endUser);
    }

    /** Owner credential or API key → context; null when neither. */
    public AuthContext authenticateToken(String token) {
        if (token.startsWith("ask_")) {
            return keys.validate(token).map(k -> new AuthContext(AuthContext.Kind.API_KEY, k.createdBy(), k.orgId(),
                    k.applicationId(), k.id(), new HashSet<>(k.scopes()))).orElse(null);
        }
        return owner.matches(token) ? ownerContext : null;
    }

    @Override
    public String resolveApplication(ApiRequest request) {
        String header = request.header("X-Application-Id");
        String param = "X-Application-Id";
        if (header == null || header.isEmpty()) {
            header = request.header("X-App-Id");
            param = "X-App-Id";
        }
        if (header != null && header.isEmpty()) {
            header = null;
        }
        AuthContext auth = request.auth();
        // an EventSource's ?applicationId= is checked like the header, also for a key pinned to an application: another
        // application's id is refused, not silently answered with the key's own application's stream
        if (header == null && request.queryCredentials()) {
            header = request.queryParam("applicationId").filter(id -> !id.isEmpty()).orElse(null); // empty: absent, as the header
            param = "applicationId";
        }
        if (auth.pinnedApplicationId() != null) {
            if (header != null && !header.equals(auth.pinnedApplicationId())) {
                throw ApiException.forbidden(param + " does not match authenticated application").param(param);
            }
            return auth.pinnedApplicationId();
        }
        if (header == null) {
            throw ApiException.invalidRequest(
                    "Application context required. Provide X-App-Id (or X-Application-Id) header or use an API key.",
                    "X-App-Id");
        }
        String appId = header;
        String headerName = param;
        applications.byId(appId).filter(a -> a.orgId().equals(auth.orgId())).orElseThrow(
                () -> ApiException.notFound("Application '" + appId + "' not found in this organization").param(headerName));
        return appId;
    }

    @Override
    public void authorize(ApiRequest request, Route route) {
        AuthContext auth = request.auth();
        if (route.isOrgWide() && !auth.mayChangeOrgWide()) {
            throw AuthContext.orgWideRefused(route.method() + " " + route.pattern());
        }
        if (auth.kind() == AuthContext.Kind.OWNER || route.permission() == null) {
            return;
        }
        if (!auth.scopes().contains(route.permission())) {
            throw ApiException.forbidden("Insufficient permissions: " + route.permission() + " required");
        }
    }

    @Override
    public RateLimitDecision rateLimit(ApiRequest request, Route route) {
        String identity = request.auth() != null ? request.auth().identity() : "anonymous";
        RateLimiter.Outcome o = limiter.hit(route.rateLimitBucket() + ":" + identity,
                route.rateLimitPerMinute(), 60);
        RateLimitDecision d = new RateLimitDecision(o.limit(), o.remaining(), o.resetSeconds());
        if (!o.allowed()) {
            ApiException e = new ApiException(429, "rate_limited", "Too Many Requests", "Too many requests. Please try again shortly.")
                    .retryAfter(o.resetSeconds());
            e.header("RateLimit", "limit=" + o.limit() + ", remaining=0, reset=" + o.resetSeconds());
            e.header("RateLimit-Policy", o.limit() + ";w=60");
            throw e;
        }
        return d;
    }

    private String idempotencyScope(ApiRequest request) {
        String app = request.applicationId() != null ? request.applicationId() : "_org";
        String scope = "idem:" + (request.auth() != null ? request.auth().orgId() : tenancy.orgId()) + ":" + app;
        // one key serves many end-users: B's key "order-42" replayed to A would hand A B's run (the original shares it)
        return request.auth() != null && request.auth().endUserId() != null ? scope + ":" + request.auth().endUserId() : scope;
    }

    @Override
    public ApiResponse idempotencyBefore(ApiRequest request, Route route) {
        return idempotency.before(idempotencyScope(request), request.header("Idempotency-Key"), request.body());
    }

    @Override
    public void idempotencyAfter(ApiRequest request, Route route, ApiResponse response, boolean failed) {
        idempotency.after(idempotencyScope(request), request.header("Idempotency-Key"), request.body(), response, failed);
    }
}
