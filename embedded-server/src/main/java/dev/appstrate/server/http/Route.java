package dev.appstrate.server.http;

import java.util.HashMap;
import java.util.Map;

/** One registered operation: method, path pattern ({@code /api/runs/{id}}), handler and its policies. */
public final class Route {
    private final String method;
    private final String pattern;
    private final String[] segments;
    private final int literalCount;
    private final RouteHandler handler;
    private boolean isPublic;
    private boolean appScoped;
    private int rateLimitPerMinute;
    private String rateLimitBucket;
    private boolean idempotent;
    private boolean orgWide;
    private boolean queryCredentials;
    private String permission;
    private String extension;
    private String summary = "";
    private String tag = "";
    private long streamedBodyLimit;

    Route(String method, String pattern, RouteHandler handler) {
        this.method = method;
        this.pattern = pattern;
        this.segments = split(pattern);
        this.literalCount = literals(segments);
        this.handler = handler;
    }

    /** No authentication (health, spec, runner sink routes that verify their own signature). */
    public Route publicRoute() {
        this.isPublic = true;
        return this;
    }

    /**
     * Needs an application context: {@code X-App-Id} / {@code X-Application-Id}, or the application an API key
     * pins; the handler reads it from {@link ApiRequest#applicationId()}.
     */
    public Route appScoped() {
        this.appScoped = true;
        return this;
    }

    public boolean isAppScoped() {
        return appScoped;
    }

    /**
     * The handler reads the body itself from {@link ApiRequest#bodyStream()}, up to {@code limit} bytes instead of
     * {@code API_BODY_LIMIT_BYTES} (large uploads that go straight to storage).
     */
    public Route streamedBody(long limit) {
        this.streamedBodyLimit = limit;
        return this;
    }

    /** 0 unless {@link #streamedBody(long)}. */
    public long streamedBodyLimit() {
        return streamedBodyLimit;
    }

    /** Fixed 60 s window limit per identity, in this route's own bucket ({@code METHOD:pattern}) as the original does. */
    public Route rateLimit(int perMinute) {
        this.rateLimitPerMinute = perMinute;
        return this;
    }

    /** The same limit, counted in a bucket shared with other routes (inline run and validate share one, as in the original). */
    public Route rateLimit(int perMinute, String bucket) {
        this.rateLimitPerMinute = perMinute;
        this.rateLimitBucket = bucket;
        return this;
    }

    /** The key the limit is counted under: the shared bucket, or method and pattern. */
    public String rateLimitBucket() {
        return rateLimitBucket != null ? rateLimitBucket : method + ":" + pattern;
    }

    /** Honours {@code Idempotency-Key}. */
    public Route idempotencyKey() {
        this.idempotent = true;
        return this;
    }

    /**
     * A browser's EventSource sends no headers: the credential may also come as {@code ?token=} and the application
     * as {@code ?applicationId=} (the original's SSE routes). The pipeline still authenticates and authorizes.
     */
    public Route queryCredentials() {
        this.queryCredentials = true;
        return this;
    }

    public boolean acceptsQueryCredentials() {
        return queryCredentials;
    }

    /** Changes what every application uses: an application's API key needs {@link AuthContext#ORG_WRITE} too. */
    public Route orgWide() {
        this.orgWide = true;
        return this;
    }

    public boolean isOrgWide() {
        return orgWide;
    }

    /** The permission an API key needs ({@code agents:read}); the owner holds every permission. */
    public Route permission(String value) {
        this.permission = value;
        return this;
    }

    public String permission() {
        return permission;
    }

    /**
     * Ours only (the original has no such operation): a client checks {@code GET /api/capabilities} for this name before
     * sending it ({@code cron_preview}, {@code docker}, …; several routes may share one).
     */
    public Route extension(String name) {
        this.extension = name;
        return this;
    }

    /** The extension this route belongs to; null for the original's operations. */
    public String extension() {
        return extension;
    }

    /** A one-line description for the OpenAPI document. */
    public Route doc(String tagName, String text) {
        this.tag = tagName;
        this.summary = text;
        return this;
    }

    public String method() {
        return method;
    }

    public String pattern() {
        return pattern;
    }

    public RouteHandler handler() {
        return handler;
    }

    public boolean isPublic() {
        return isPublic;
    }

    public int rateLimitPerMinute() {
        return rateLimitPerMinute;
    }

    public boolean idempotent() {
        return idempotent;
    }

    public String summary() {
        return summary;
    }

    public String tag() {
        return tag;
    }

    /** Path parameters when this pattern matches, else null. */
    Map<String, String> match(String[] pathSegments) {
        if (pathSegments.length != segments.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.startsWith("{")) {
                if (pathSegments[i].isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new HashMap<>(4);
                }
                params.put(s.substring(1, s.length() - 1), pathSegments[i]);
            } else if (!s.equals(pathSegments[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    int literalCount() {
        return literalCount;
    }

    private static int literals(String[] segments) {
        int n = 0;
        for (String s : segments) {
            if (!s.startsWith("{")) {
                n++;
            }
        }
        return n;
    }

    static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/") && p.length() > 0) {
            p = p.substring(0, p.length() - 1);
        }
        return p.split("/", -1);
    }
}
