package dev.appstrate.server.runs;

import dev.appstrate.server.http.OutboundHttp;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.secrets.AuthorizedUris;
import dev.appstrate.server.secrets.CredentialInjector;
import dev.appstrate.server.egress.EgressGuard;
import dev.appstrate.server.logging.RedactingOutputStream;
import dev.appstrate.server.logging.Redactor;
import dev.appstrate.server.secrets.ResolvedConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's credential proxy (the original sidecar's {@code api_call}, with the header contract of its
 * {@code /api/credential-proxy/proxy}): the agent sends the request it wants made with
 * {@code Authorization: Bearer $APPSTRATE_RUN_TOKEN}, {@code X-Integration-Id: @scope/name} and
 * {@code X-Target: <url>}; the server substitutes {@code {{field}}} placeholders, checks the integration's
 * authorized URIs and the egress rule (again on every redirect hop), injects the credential header, and
 * streams the upstream answer back with any echoed credential masked. The agent never holds the value.
 */
public final class CredentialProxy {
    public static final String PATH = "/internal/credential-proxy/proxy";
    static final int MAX_REDIRECTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(CredentialProxy.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Headers addressed to the proxy itself (or that the client sets): never forwarded upstream. */
    private static final Set<String> CONTROL = Set.of("authorization", "x-integration-id", "x-target", "x-substitute-body",
            "x-session-id", "x-connection-id", "x-run-id", "x-stream-request", "x-stream-response", "x-max-response-size",
            "accept-encoding", "expect", "appstrate-version", "appstrate-user", "x-app-id", "x-application-id", "host",
            "content-length", "connection", "upgrade", "http2-settings", "te", "trailer", "transfer-encoding", "keep-alive",
            "proxy-authorization", "proxy-connection", "traceparent");
    /** Upstream response headers the agent does not get: hop-by-hop, lengths we may change, session cookies. */
    private static final Set<String> DROPPED_RESPONSE = Set.of("connection", "keep-alive", "transfer-encoding", "te", "trailer",
            "upgrade", "proxy-authenticate", "content-length", "content-type", "set-cookie", "set-cookie2", ":status");

    private final InFlightRuns runs;
    private final EgressGuard egress;

    public CredentialProxy(InFlightRuns runs, EgressGuard egress) {
        this.runs = runs;
        this.egress = egress;
    }

    public void register(Router r) {
        String doc = "Credential proxy for a run: forwards to X-Target with the X-Integration-Id connection injected";
        r.get(PATH, this::proxy).publicRoute().doc("Runner", doc);
        r.post(PATH, this::proxy).publicRoute().doc("Runner", doc);
        r.put(PATH, this::proxy).publicRoute().doc("Runner", doc);
        r.patch(PATH, this::proxy).publicRoute().doc("Runner", doc);
        r.delete(PATH, this::proxy).publicRoute().doc("Runner", doc);
    }

    private ApiResponse proxy(ApiRequest req) throws Exception {
        ActiveRun run = runs.runForToken(req.bearerToken())
                .orElseThrow(() -> ApiException.unauthorized("Invalid or missing run token"));
        String integration = required(req, "X-Integration-Id");
        String target = required(req, "X-Target");
        ResolvedConnection conn = run.connections.stream().filter(c -> c.packageId().equals(integration)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no_credentials", "This run has no connection for integration \""
                        + integration + "\"; it may use: " + (run.connections.isEmpty() ? "none"
                        : String.join(", ", run.connections.stream().map(ResolvedConnection::packageId).toList()))));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : req.headerNames()) {
            if (!CONTROL.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, req.header(name));
            }
        }
        byte[] body = req.body() == null || req.body().length == 0 ? null : req.body();
        CredentialInjector.Outcome outcome = CredentialInjector.inject(conn, new CredentialInjector.OutgoingRequest(req.method(),
                target, headers, body, "true".equalsIgnoreCase(req.header("X-Substitute-Body"))));
        if (outcome instanceof CredentialInjector.Refuse refuse) {
            LOG.info("Credential proxy refused runId={} integration={} status={}", run.runId, integration, refuse.status());
            throw refuse.status() == 403 ? new ApiException(403, "target_not_authorized", "Forbidden", refuse.reason())
                    : ApiException.invalidRequest(refuse.reason(), "X-Target");
        }
        return forward(run, conn, (CredentialInjector.Forward) outcome);
    }

    private ApiResponse forward(ActiveRun run, ResolvedConnection conn, CredentialInjector.Forward f) throws Exception {
        List<String> secrets = secretsOf(conn, f);
        Map<String, String> headers = new LinkedHashMap<>(f.headers());
        URI uri = f.uri();
        String method = f.method();
        byte[] body = f.body();
        for (int hop = 0; ; hop++) {
            EgressGuard.Verdict verdict = egress.check(uri);
            // an unresolvable name is left to the HTTP client, which answers 502
            String refused = verdict.outcome() == EgressGuard.Outcome.BLOCKED ? verdict.reason() : null;
            if (refused != null) {
                LOG.info("Credential proxy egress refused runId={} integration={} host={}", run.runId, conn.packageId(),
                        uri.getHost());
                throw new ApiException(403, "egress_denied", "Forbidden", refused);
            }
            HttpResponse<InputStream> upstream = send(uri, method, headers, body);
            int status = upstream.statusCode();
            String location = upstream.headers().firstValue("location").orElse(null);
            if (!isRedirect(status) || location == null) {
                LOG.debug("Credential proxy runId={} integration={} method={} host={} status={} injected={}", run.runId,
                        conn.packageId(), method, uri.getHost(), status, f.injectedHeaders());
                return relay(upstream, secrets);
            }
            upstream.body().close();
            if (hop >= MAX_REDIRECTS) {
                throw new ApiException(502, "too_many_redirects", "Bad Gateway", "The upstream redirected more than "
                        + MAX_REDIRECTS + " times");
            }
            URI next;
            try {
                next = uri.resolve(location.strip());
            } catch (IllegalArgumentException e) {
                throw new ApiException(502, "bad_gateway", "Bad Gateway", "The upstream answered a redirect with an invalid Location");
            }
            // every hop is checked like the first: credentials follow a redirect only inside the authorized URIs
            if (AuthorizedUris.canonical(next.toString()) == null || !CredentialInjector.authorizes(conn.auth(), next.toString())) {
                LOG.info("Credential proxy redirect refused runId={} integration={} host={}", run.runId, conn.packageId(),
                        next.getHost());
                throw new ApiException(403, "redirect_not_authorized", "Forbidden", "The upstream redirected to "
                        + (next.getHost() == null ? "a URL without a host" : "host " + next.getHost())
                        + " outside the authorized URIs of integration \"" + conn.packageId() + "\"; the redirect was not followed");
            }
            if (status == 303 || ((status == 301 || status == 302) && !method.equals("GET") && !method.equals("HEAD"))) {
                method = "GET";
                body = null;
                headers.keySet().removeIf(k -> k.equalsIgnoreCase("content-type"));
            }
            uri = next;
        }
    }

    private HttpResponse<InputStream> send(URI uri, String method, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, String> h : headers.entrySet()) {
            try {
                b.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidRequest("Header \"" + h.getKey() + "\" cannot be forwarded", h.getKey());
            }
        }
        String where = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        try {
            return OutboundHttp.client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ApiException(504, "upstream_timeout", "Gateway Timeout", "The upstream at " + where + " did not answer within "
                    + TIMEOUT.toSeconds() + "s");
        } catch (IOException e) {
            // the exception text may carry the URL (and a substituted credential): name the host and the kind only
            throw new ApiException(502, "bad_gateway", "Bad Gateway", "The upstream at " + where + " is unreachable ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static ApiResponse relay(HttpResponse<InputStream> upstream, List<String> secrets) {
        ApiResponse out = ApiResponse.stream(upstream.statusCode(), upstream.headers().firstValue("content-type").orElse(null), os -> RedactingOutputStream.relay(upstream.body(), os, secrets));
        upstream.headers().map().forEach((name, values) -> {
            if (!DROPPED_RESPONSE.contains(name.toLowerCase(Locale.ROOT))) {
                String v = String.join(", ", values);
                for (String s : secrets) {
                    v = v.replace(s, Redactor.MASK);
                }
                out.header(name, v);
            }
        });
        return out;
    }

    /** The values an upstream could echo back: each credential field and each injected header value. */
    private static List<String> secretsOf(ResolvedConnection conn, CredentialInjector.Forward f) {
        List<String> out = new ArrayList<>();
        for (String v : conn.credentials().values()) {
            out.add(v);
            out.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
        }
        for (String name : f.injectedHeaders()) {
            String v = f.headers().get(name);
            if (v != null) {
                out.add(v);
                out.addAll(List.of(v.split(" ")));
            }
        }
        out.removeIf(s -> s.length() < Redactor.MIN_LENGTH);
        return out;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static String required(ApiRequest req, String header) {
        String v = req.header(header);
        if (v == null || v.isBlank()) {
            throw ApiException.invalidRequest(header + " header is required", header);
        }
        return v.strip();
    }
}
