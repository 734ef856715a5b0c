package dev.appstrate.server.http;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request pipeline, in the original's order: request id, host guard, body limit, boot gate,
 * routing, shutdown gate, auth, application context, rate limit, idempotency, route.
 */
public final class AppstrateHandler extends Handler.Abstract {
    public static final String API_VERSION = "2026-03-21";
    private static final Logger LOG = LoggerFactory.getLogger(AppstrateHandler.class);
    private static final Pattern TRACEPARENT = Pattern.compile("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private final Router router;
    private final ServerState state;
    private final HostGuard hostGuard;
    private final long bodyLimit;
    private final String baseUrl;
    /** How long a request body may take to arrive in full (408 after). */
    static final long BODY_READ_TIMEOUT_MS = 30_000;
    private volatile RequestPolicies policies = RequestPolicies.OPEN;
    private final SseStreams streams = new SseStreams(SseStreams.MAX_STREAMS, SseStreams.MAX_STREAMS_PER_CREDENTIAL);

    public AppstrateHandler(Router router, ServerState state, HostGuard hostGuard, long bodyLimit, String baseUrl) {
        this.router = router;
        this.state = state;
        this.hostGuard = hostGuard;
        this.bodyLimit = bodyLimit;
        this.baseUrl = baseUrl;
    }

    /** The open event streams (capped; ended at shutdown). */
    public SseStreams streams() {
        return streams;
    }

    /** Accepts another Host name (see {@link HostGuard#allow}). */
    public void allowHost(String host) {
        hostGuard.allow(host);
    }

    public void policies(RequestPolicies value) {
        this.policies = value;
    }

    /** True when the request carries a valid credential; for public routes that show more to known callers. */
    public boolean authenticates(ApiRequest req) {
        if (req.bearerToken() == null) {
            return false;
        }
        try {
            return policies.authenticate(req) != null;
        } catch (ApiException e) {
            return false;
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = RequestIds.next();
        HttpFields in = request.getHeaders();
        String method = request.getMethod();
        String path = request.getHttpURI().getDecodedPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        Pending pending;
        try {
            pending = beforeBody(request, in, method, path, requestId);
        } catch (Exception e) {
            ApiResponse out = ProblemJson.failure(e, method, path, requestId);
            if (in.getLongField("Content-Length") > 0 || in.contains(HttpHeader.TRANSFER_ENCODING)) {
                // the body is left unread: unless all of it had already arrived Jetty drops the connection after the
                // answer, so say so — otherwise a client's pool reuses it and its next request gets no byte back
                out.header("Connection", "close");
            }
            finish(request, response, callback, out, method, requestId);
            return true;
        }
        if (pending.route.streamedBodyLimit() > 0) {
            // the route streams the body to its destination on this (blocking) thread; the limit is enforced as it reads
            pending.req.body(new byte[0]);
            pending.req.bodyStream(pending.declared == 0 ? InputStream.nullInputStream() : Content.Source.asInputStream(request));
            respond(request, response, callback, pending);
            return true;
        }
        if (pending.declared == 0) {
            pending.req.body(new byte[0]);
            respond(request, response, callback, pending);
            return true;
        }
        // read without holding a thread: slow or stalled senders cost a connection, not a worker
        new BodyReader(request, bodyLimit, BODY_READ_TIMEOUT_MS, body -> {
            pending.req.body(body);
            respond(request, response, callback, pending);
        }, failure -> {
            if (failure instanceof ApiException e) {
                ApiResponse out = ProblemJson.response(e, requestId).header("Connection", "close");
                finish(request, response, callback, out, method, requestId);
            } else {
                // the client went away mid-body: nothing to answer and nothing worth more than a line
                LOG.debug("Client went away while sending the body method={} path={} requestId={} reason={}",
                        method, pending.req.path(), requestId, failure.toString());
                callback.failed(failure);
            }
        }).start();
        return true;
    }

    private void respond(Request request, Response response, Callback callback, Pending pending) {
        ApiResponse out;
        String method = pending.req.method();
        String requestId = pending.req.requestId();
        try {
            out = afterBody(pending);
        } catch (Exception e) {
            out = ProblemJson.failure(e, method, pending.req.path(), requestId);
        }
        if (out.later() == null) {
            finish(request, response, callback, out, method, requestId);
            return;
        }
        // answered by the thread that completes it (the log writer after its commit); this thread is free meanwhile
        out.later().whenComplete((answer, error) -> {
            try {
                ApiResponse done = error == null ? answer : ProblemJson.failure(exception(error), method, pending.req.path(), requestId);
                finish(request, response, callback, done, method, requestId);
            } catch (RuntimeException e) {
                LOG.error("Answer not written method={} path={} requestId={}", method, pending.req.path(), requestId, e);
                callback.failed(e);
            }
        });
    }

    /** The route's own failure inside a completion's wrapper. */
    private static Exception exception(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof Exception e ? e : new IllegalStateException(cause);
    }

    private void finish(Request request, Response response, Callback callback, ApiResponse out, String method,
                        String requestId) {
        out.header("Request-Id", requestId);
        String traceparent = request.getHeaders().get("traceparent");
        if (traceparent != null && TRACEPARENT.matcher(traceparent).matches()) {
            out.header("traceparent", traceparent);
        }
        send(request, response, callback, out, "HEAD".equals(method));
    }

    /** What is known once headers are checked: the request (body still unread), its route and rate decision. */
    private static final class Pending {
        final ApiRequest req;
        final Route route;
        final long declared;

        Pending(ApiRequest req, Route route, long declared) {
            this.req = req;
            this.route = route;
            this.declared = declared;
        }
    }

    /** Everything that needs only the headers, authentication included, so nobody unknown gets a body read. */
    private Pending beforeBody(Request request, HttpFields in, String method, String path, String requestId) {
        String host = in.get("Host");
        if (host == null) {
            host = request.getHttpURI().getAuthority();
        }
        if (!hostGuard.allows(host)) {
            throw new ApiException(421, "host_not_allowed", "Misdirected Request",
                    "Host '" + host + "' is not served here. Use the server's address, localhost, or the host of APP_URL.");
        }
        long declared = in.getLongField("Content-Length");
        Router.Match match = router.match(method, path);
        long limit = match != null && match.route().streamedBodyLimit() > 0 ? match.route().streamedBodyLimit() : bodyLimit;
        if (declared > limit) {
            throw new ApiException(413, "payload_too_large", "Request body exceeds the " + limit + " byte limit");
        }
        if (state.phase() == ServerState.Phase.STARTING && !path.equals("/health")) {
            throw new ApiException(503, "starting", "Service Unavailable", "Server is still starting up")
                    .header("Retry-After", "1");
        }
        boolean api = path.startsWith("/api/");
        if (state.phase() == ServerState.Phase.SHUTTING_DOWN && MUTATING.contains(method)) {
            throw new ApiException(503, "shutting_down", "Service Unavailable", "Server is shutting down")
                    .header("Retry-After", "5");
        }
        ApiRequest req = new ApiRequest(method, path, request.getHttpURI().getQuery(), in::get, null, requestId, baseUrl);
        req.headerNames(in::getFieldNamesCollection);
        boolean publicRoute = match != null ? match.route().isPublic() : !api;
        req.queryCredentials(match != null && match.route().acceptsQueryCredentials());
        if (!publicRoute) {
            req.auth(policies.authenticate(req));
        }
        if (match == null) {
            List<String> allowed = router.allowedMethods(path);
            if (!allowed.isEmpty()) {
                throw new ApiException(405, "method_not_allowed", "Method " + method + " is not allowed on " + path)
                        .header("Allow", String.join(", ", allowed));
            }
            throw ApiException.notFound(api ? "API endpoint not found: " + method + " " + path : "Not found: " + path);
        }
        Route route = match.route();
        req.route(route.pattern(), match.params());
        if (!publicRoute) {
            if (route.isAppScoped()) {
                req.applicationId(policies.resolveApplication(req));
            }
            checkApiVersion(req);
            try {
                policies.authorize(req, route);
            } catch (ApiException e) {
                // the original's permission refusal is an authenticated answer: it carries the version
                throw e.header("Appstrate-Version", API_VERSION);
            }
        }
        return new Pending(req, route, declared);
    }

    private ApiResponse afterBody(Pending p) throws Exception {
        ApiRequest req = p.req;
        Route route = p.route;
        String idemKey = req.header("Idempotency-Key");
        boolean api = req.path().startsWith("/api/");
        if (idemKey != null && MUTATING.contains(req.method()) && !route.idempotent() && api) {
            throw ApiException.invalidRequest("Idempotency-Key is not supported on " + req.method() + " " + route.pattern(),
                    "Idempotency-Key").codeOverride("idempotency_not_supported");
        }
        RequestPolicies.RateLimitDecision limit = RequestPolicies.RateLimitDecision.NONE;
        if (route.rateLimitPerMinute() > 0) {
            try {
                limit = policies.rateLimit(req, route);
            } catch (ApiException e) {
                // the original's 429 to an authenticated caller carries the version, like its other answers
                throw req.auth() != null ? e.header("Appstrate-Version", API_VERSION) : e;
            }
        }
        ApiResponse resp;
        try {
            resp = route.idempotent() && idemKey != null ? handleIdempotent(req, route) : route.handler().handle(req);
        } catch (ApiException e) {
            // a refusal is still a response of this route: same rate-limit and version headers
            resp = ProblemJson.response(e, req.requestId());
        }
        if (resp.later() != null) {
            RequestPolicies.RateLimitDecision decided = limit;
            return ApiResponse.later(resp.later().handle((answer, error) -> {
                ApiResponse done = answer;
                if (error != null) {
                    Exception e = exception(error);
                    if (!(e instanceof ApiException refusal)) {
                        throw new java.util.concurrent.CompletionException(e); // mapped like a thrown error, in respond
                    }
                    done = ProblemJson.response(refusal, req.requestId());
                }
                decided.apply(done);
                addVersion(req, done);
                return done;
            }));
        }
        limit.apply(resp);
        addVersion(req, resp);
        return resp;
    }

    /** Replays a cached answer, or runs the route and caches it; a thrown error releases the key. */
    private ApiResponse handleIdempotent(ApiRequest req, Route route) throws Exception {
        ApiResponse replay = policies.idempotencyBefore(req, route);
        if (replay != null) {
            return replay;
        }
        ApiResponse resp;
        try {
            resp = route.handler().handle(req);
        } catch (RuntimeException e) {
            policies.idempotencyAfter(req, route, null, true);
            throw e;
        }
        if (resp.later() != null) {
            return ApiResponse.later(resp.later().whenComplete((answer, error) ->
                    policies.idempotencyAfter(req, route, error == null ? answer : null, error != null)));
        }
        policies.idempotencyAfter(req, route, resp, false);
        return resp;
    }

    private static void addVersion(ApiRequest req, ApiResponse resp) {
        if (req.auth() != null) {
            resp.header("Appstrate-Version", API_VERSION);
        }
    }

    private static void checkApiVersion(ApiRequest req) {
        String v = req.header("Appstrate-Version");
        if (v == null || v.isEmpty()) {
            return;
        }
        if (!v.matches("^\\d{4}-\\d{2}-\\d{2}$")) {
            throw ApiException.invalidRequest("Appstrate-Version must be a date (YYYY-MM-DD)", "Appstrate-Version")
                    .codeOverride("invalid_api_version");
        }
        if (!v.equals(API_VERSION)) {
            throw ApiException.invalidRequest("Unsupported API version " + v + "; supported: " + API_VERSION,
                    "Appstrate-Version").codeOverride("unsupported_api_version");
        }
    }


    private void send(Request request, Response response, Callback callback, ApiResponse out, boolean head) {
        SseSink sink = null;
        if (out.events() != null && !head) {
            sink = streams.tryOpen(out.eventsOwner(), response, callback);
            if (sink == null) {
                ApiResponse refused = ProblemJson.response(new ApiException(429, "too_many_streams", "Too Many Requests",
                        "Too many open event streams (at most " + SseStreams.MAX_STREAMS_PER_CREDENTIAL
                                + " per credential). Close some, then retry.").retryAfter(5), out.headers().get("Request-Id"));
                refused.header("Request-Id", out.headers().get("Request-Id"));
                send(request, response, callback, refused, false);
                return;
            }
        }
        response.setStatus(out.status());
        for (Map.Entry<String, String> h : out.headers().entrySet()) {
            response.getHeaders().put(h.getKey(), h.getValue());
        }
        if (out.events() != null) {
            if (head) {
                response.write(true, null, callback);
                return;
            }
            try {
                out.events().open(sink);
            } catch (RuntimeException e) {
                LOG.warn("Event stream failed to open: {}", e.toString());
                sink.end();
            }
            return;
        }
        if (out.stream() != null && head) {
            // HEAD on a stream (an SSE route): the writer sees a client that left at once, releases what it
            // holds (subscription, upstream body) and only the headers go out
            try {
                out.stream().write(new ClientGone());
            } catch (Throwable expected) {
                // the refusal above, or the writer's own end
            }
            response.write(true, null, callback);
            return;
        }
        if (out.stream() != null) {
            try (OutputStream os = Content.Sink.asOutputStream(response)) {
                out.stream().write(os);
                callback.succeeded();
            } catch (Throwable t) {
                callback.failed(t);
            }
            return;
        }
        byte[] body = out.body();
        if (head || body == null || body.length == 0) {
            response.getHeaders().put("Content-Length", head && body != null ? body.length : 0);
            response.write(true, null, callback);
            return;
        }
        response.getHeaders().put("Content-Length", body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
