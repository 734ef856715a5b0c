package dev.appstrate.server.http;

/** The per-request checks that need the store; the handler runs them in the original's order. */
public interface RequestPolicies {
    /** Authenticates a non-public request, or throws 401. */
    AuthContext authenticate(ApiRequest request);

    /** Resolves the application of an app-scoped request, or throws 400/403/404. */
    String resolveApplication(ApiRequest request);

    /** Checks the route's permission against the caller; throws 403 when missing. */
    default void authorize(ApiRequest request, Route route) {
    }

    /** Counts the request against its route limit; returns headers to add, throws 429 when over. */
    RateLimitDecision rateLimit(ApiRequest request, Route route);

    /** Replays or records idempotent responses; null when the route proceeds normally. */
    default ApiResponse idempotencyBefore(ApiRequest request, Route route) {
        return null;
    }

    default void idempotencyAfter(ApiRequest request, Route route, ApiResponse response, boolean failed) {
    }

    /** Policies that let everything through: what the foundation runs before the API core exists. */
    RequestPolicies OPEN = new RequestPolicies() {
        @Override
        public AuthContext authenticate(ApiRequest request) {
            throw ApiException.unauthorized("Invalid or missing session");
        }

        @Override
        public String resolveApplication(ApiRequest request) {
            return null;
        }

        @Override
        public RateLimitDecision rateLimit(ApiRequest request, Route route) {
            return RateLimitDecision.NONE;
        }
    };

    /** Rate-limit headers to send with the response. */
    record RateLimitDecision(int limit, int remaining, int resetSeconds) {
        public static final RateLimitDecision NONE = new RateLimitDecision(0, 0, 0);

        public void apply(ApiResponse r) {
            if (limit > 0) {
                r.header("RateLimit", "limit=" + limit + ", remaining=" + remaining + ", reset=" + resetSeconds);
                r.header("RateLimit-Policy", limit + ";w=60");
            }
        }
    }
}
