package dev.appstrate.desktop.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The stand-in for the original Appstrate server in the desktop's remote-mode tests: Jetty on a free loopback port
 * answering with the original's recorded responses ({@link Transcript}) and its OpenAPI examples, behind the
 * original's API-key authentication (401 "Invalid or expired API key") and permissions (403 "Insufficient
 * permissions: x:y required"). Every JSON body is checked against the original's request schema (400 like the
 * original when it breaks it); a route the original does not have is 404 "API endpoint not found". Requests are
 * recorded for assertions. Routes live in {@link FixtureRoutes}; tests add or replace one with {@link #route}.
 */
public final class OriginalFixtureServer implements AutoCloseable {
    /** What the client sent. {@code body} is the raw text ("" for none). */
    public record Recorded(String method, String path, String query, String contentType, String body) {
        public JsonNode json() {
            try {
                return body.isBlank() ? null : JSON.readTree(body);
            } catch (Exception e) {
                return null;
            }
        }
    }

    /** A request as a route sees it: path parameters by name, the parsed JSON body (null for none), the query. */
    public record Call(String method, String path, Map<String, String> params, JsonNode body, Fields query, String key) {
        public String param(String name) {
            return params.get(name);
        }
    }

    /** A route's answer: status and JSON body (null for none, e.g. 204). */
    public record Answer(int status, JsonNode body) {
        public static Answer ok(JsonNode body) {
            return new Answer(200, body);
        }
    }

    /** A route's behaviour. */
    @FunctionalInterface
    public interface Route {
        Answer handle(Call call) throws Exception;
    }

    /** What an API key made by an org owner on the original holds when created without {@code scopes}. */
    public static final List<String> FULL_KEY_SCOPES = List.of(
            "agents:read", "agents:write", "agents:configure", "agents:delete", "agents:run",
            "skills:read", "skills:write", "skills:delete", "mcp-servers:read", "mcp-servers:write", "mcp-servers:delete",
            "runs:read", "runs:cancel", "runs:delete", "documents:read", "documents:delete",
            "schedules:read", "schedules:write", "schedules:delete", "models:read", "models:write", "models:delete",
            "proxies:read", "proxies:write", "proxies:delete", "integrations:read", "integrations:write",
            "integrations:delete", "integrations:install", "integrations:uninstall", "integrations:connect",
            "integrations:disconnect", "applications:read", "applications:write", "applications:delete",
            "end-users:read", "end-users:write", "end-users:delete", "credential-proxy:call", "llm-proxy:call",
            "oauth-clients:read", "oauth-clients:write", "oauth-clients:delete", "webhooks:read", "webhooks:write",
            "webhooks:delete", "mcp:read", "mcp:invoke");
    public static final String APPLICATION_ID = "app_5504bc00-f54d-42a0-9d98-262e87b336b5";
    static final ObjectMapper JSON = new ObjectMapper();

    private final Server server = new Server();
    private final OriginalApi api = OriginalApi.get();
    private final Transcript transcript = Transcript.load();
    private final Map<String, Set<String>> keys = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Map<String, RouteEntry> routes = new ConcurrentHashMap<>();
    private final FixtureState state;
    private final String fullKey;

    private record RouteEntry(String method, String template, String permission, Route route) {
    }

    public OriginalFixtureServer() {
        state = new FixtureState(transcript, api);
        fullKey = keyWith(FULL_KEY_SCOPES.toArray(String[]::new));
        FixtureRoutes.install(this, state);
        ServerConnector c = new ServerConnector(server);
        c.setHost("127.0.0.1");
        c.setPort(0);
        server.addConnector(c);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("fixture server did not start", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** A key with every scope an owner's key gets (never {@code api-keys:*} or {@code model-provider-credentials:*}). */
    public String fullKey() {
        return fullKey;
    }

    /** A new valid key holding only {@code scopes}. */
    public String keyWith(String... scopes) {
        String key = "ask_" + UUID.randomUUID().toString().replace("-", "") + "0123456789abcdef";
        keys.put(key, new LinkedHashSet<>(List.of(scopes)));
        return key;
    }

    /** A valid key with the full scopes minus {@code missing}. */
    public String keyWithout(String... missing) {
        List<String> s = new ArrayList<>(FULL_KEY_SCOPES);
        s.removeAll(List.of(missing));
        return keyWith(s.toArray(String[]::new));
    }

    /** The fixture's data (agents, runs, schedules, webhooks, models, log lines, live frames). */
    public FixtureState state() {
        return state;
    }

    public Transcript transcript() {
        return transcript;
    }

    /** Adds or replaces a route; {@code template} must be an operation of the original's document. */
    public OriginalFixtureServer route(String method, String template, String permission, Route route) {
        if (api.operation(method, template).isEmpty()) {
            throw new IllegalArgumentException(method + " " + template + " is not an operation of the original");
        }
        routes.put(method + " " + template, new RouteEntry(method, template, permission, route));
        return this;
    }

    /** Every request received, oldest first. */
    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    private void serve(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String path = request.getHttpURI().getDecodedPath();
        String body;
        try {
            body = Content.Source.asString(request, StandardCharsets.UTF_8);
        } catch (Exception e) {
            body = "";
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        requests.add(new Recorded(method, path, request.getHttpURI().getQuery(), contentType == null ? "" : contentType, body));
        Fields query = Request.extractQueryParameters(request);
        try {
            if (path.equals("/health")) {
                write(response, callback, new Answer(200, state.health()));
                return;
            }
            if (path.equals("/api/openapi.json")) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                Content.Sink.write(response, true, Files.readString(Reference.file("appstrate-openapi.json")), callback);
                return;
            }
            if (!path.startsWith("/api/")) {
                write(response, callback, problem(404, "not_found", "Not Found", "Not found"));
                return;
            }
            boolean realtime = path.startsWith("/api/realtime/");
            String key = realtime ? query.getValue("token") : bearer(request);
            if (key == null || key.isEmpty()) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
                write(response, callback, problem(401, "unauthorized", "Unauthorized",
                        realtime ? "Invalid session or org" : "Invalid or missing session"));
                return;
            }
            Set<String> scopes = keys.get(key);
            if (scopes == null) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
                write(response, callback, problem(401, "unauthorized", "Unauthorized",
                        realtime ? "Invalid session or org" : "Invalid or expired API key"));
                return;
            }
            String appHeader = request.getHeaders().get("X-Application-Id");
            if (appHeader != null && !appHeader.equals(APPLICATION_ID)) {
                write(response, callback, problem(403, "forbidden", "Forbidden", "X-Application-Id does not match authenticated application"));
                return;
            }
            var op = api.find(method, path);
            RouteEntry entry = op.map(o -> routes.get(method + " " + o.template())).orElse(null);
            if (entry == null) {
                write(response, callback, problem(404, "not_found", "Not Found", "API endpoint not found: " + method + " " + path));
                return;
            }
            if (entry.permission() != null && !scopes.contains(entry.permission())) {
                write(response, callback, problem(403, "forbidden", "Forbidden", "Insufficient permissions: " + entry.permission() + " required"));
                return;
            }
            JsonNode json = null;
            if (!op.get().takesMultipart() && !body.isBlank()) {
                try {
                    json = JSON.readTree(body);
                } catch (Exception e) {
                    write(response, callback, problem(400, "invalid_request", "Invalid Request", "Malformed JSON body"));
                    return;
                }
            }
            if (!op.get().takesMultipart() && !op.get().jsonBodySchema().isMissingNode()) {
                List<String> errors = api.bodyErrors(op.get(), json);
                if (!errors.isEmpty()) {
                    write(response, callback, validationFailed(errors));
                    return;
                }
            }
            Map<String, String> params = params(entry.template(), path);
            if (realtime) {
                state.stream(params.get("id"), response, callback);
                return;
            }
            write(response, callback, entry.route().handle(new Call(method, path, params, json, query, key)));
        } catch (Exception e) {
            write(response, callback, problem(500, "internal_error", "Internal Server Error", String.valueOf(e)));
        }
    }

    private static String bearer(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        return auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
    }

    private static Map<String, String> params(String template, String path) {
        Map<String, String> out = new java.util.HashMap<>();
        String[] t = template.substring(1).split("/");
        String[] p = path.substring(1).split("/");
        for (int i = 0, j = 0; i < t.length && j < p.length; i++, j++) {
            if (t[i].startsWith("{")) {
                String name = t[i].substring(1, t[i].length() - 1);
                boolean twoSegments = (name.equals("packageId") || name.equals("agentPackageId")) && p[j].startsWith("@")
                        && p.length - j > t.length - i;
                out.put(name, twoSegments ? p[j] + "/" + p[++j] : p[j]);
            }
        }
        return out;
    }

    /** The original's problem+json body. */
    public static Answer problem(int status, String code, String title, String detail) {
        String req = "req_" + UUID.randomUUID();
        ObjectNode b = JSON.createObjectNode()
                .put("type", "https://docs.appstrate.dev/errors/" + code.replace('_', '-'))
                .put("title", title).put("status", status).put("detail", detail)
                .put("instance", "urn:appstrate:request:" + req).put("code", code).put("requestId", req);
        return new Answer(status, b);
    }

    private static Answer validationFailed(List<String> errors) {
        Answer a = problem(400, "validation_failed", "Validation Failed",
                errors.get(0) + (errors.size() > 1 ? " (+" + (errors.size() - 1) + " more)" : ""));
        ArrayNode list = ((ObjectNode) a.body()).putArray("errors");
        for (String e : errors) {
            int colon = e.indexOf(": ");
            list.addObject().put("field", colon > 0 ? e.substring(0, colon) : "")
                    .put("code", "invalid_request").put("title", "Invalid Request")
                    .put("message", colon > 0 ? e.substring(colon + 2) : e);
        }
        return a;
    }

    private static void write(Response response, Callback callback, Answer a) {
        response.setStatus(a.status());
        if (a.body() == null) {
            callback.succeeded();
            return;
        }
        boolean problem = a.status() >= 400 && a.body().has("type");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, problem ? "application/problem+json" : "application/json");
        try {
            Content.Sink.write(response, true, JSON.writeValueAsString(a.body()), callback);
        } catch (Exception e) {
            callback.failed(e);
        }
    }

    @Override
    public void close() {
        state.closeStreams();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
