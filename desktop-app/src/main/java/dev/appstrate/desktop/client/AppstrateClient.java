package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/**
 * The desktop app's only way to talk to a server: Appstrate's HTTP API and SSE over OkHttp, the same
 * for the embedded server and a remote one. Blocking; callers run it off the FX thread (see Tasks).
 */
public final class AppstrateClient implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");

    private final ServerEndpoint endpoint;
    private final OkHttpClient http;
    private final OkHttpClient streaming;
    private volatile String applicationId;
    private volatile ServerCapabilities capabilities = ServerCapabilities.OURS;

    public AppstrateClient(ServerEndpoint endpoint) {
        this.endpoint = endpoint;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(60))
                .callTimeout(Duration.ofSeconds(120))
                .build();
        // SSE: no read timeout (the server pings every 30 s), no call timeout
        this.streaming = http.newBuilder().readTimeout(0, TimeUnit.SECONDS).callTimeout(0, TimeUnit.SECONDS).build();
    }

    public ServerEndpoint endpoint() {
        return endpoint;
    }

    /** The application the owner works in (sent as X-Application-Id, the original's header; ours reads it too); an API key ignores it (its app is pinned). */
    public void applicationId(String id) {
        this.applicationId = id == null || id.isBlank() ? null : id;
    }

    public String applicationId() {
        return applicationId;
    }

    /** What the server supports and the credential may do (learned at connect; ours until then). */
    public ServerCapabilities capabilities() {
        return capabilities;
    }

    public void capabilities(ServerCapabilities learned) {
        this.capabilities = learned;
    }

    // ---- health

    public Health health() {
        Request req = request("/health").get().build();
        try (Response r = http.newCall(req).execute()) {
            String body = bodyText(r);
            JsonNode json = body.isBlank() ? DesktopJson.object() : DesktopJson.MAPPER.readTree(body);
            if (r.code() != 200 && r.code() != 503) {
                throw ApiProblem.fromBody(r.code(), "GET", "/health", json);
            }
            return Health.from(r.code(), json);
        } catch (IOException e) {
            throw ApiProblem.unreachable(endpoint.baseUrl(), e);
        }
    }

    // ---- agents and packages

    public JsonNode agents() {
        return get("/api/agents", Map.of());
    }

    /** Agent detail (manifest, prompt, versions count): {@code GET /api/packages/agents/{scope}/{name}}. */
    public JsonNode agent(String packageId) {
        return get("/api/packages/agents/" + packageId, Map.of());
    }

    public JsonNode agentVersions(String packageId) {
        return get("/api/packages/agents/" + packageId + "/versions", Map.of());
    }

    /** Imports an .afps file: {@code POST /api/packages/import} (multipart {@code file}). */
    public JsonNode importPackage(Path file, boolean force) {
        RequestBody part = RequestBody.create(file.toFile(), MediaType.get("application/zip"));
        MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("file", file.getFileName().toString(), part).build();
        return send("POST", "/api/packages/import", force ? Map.of("force", "true") : Map.of(), body);
    }

    /** Starts a run: {@code POST /api/agents/{scope}/{name}/run}; returns the Run (201). */
    public JsonNode runAgent(String packageId, JsonNode input, String version) {
        ObjectNode body = DesktopJson.object();
        if (input != null && input.size() > 0) {
            body.set("input", input);
        }
        return send("POST", "/api/agents/" + packageId + "/run", version == null ? Map.of() : Map.of("version", version), json(body));
    }

    // ---- runs

    /** {@code GET /api/runs} or, for one agent, {@code GET /api/agents/{scope}/{name}/runs}. */
    public JsonNode runs(String agentId, String status, int limit, int offset) {
        Map<String, String> q = new java.util.LinkedHashMap<>();
        q.put("limit", String.valueOf(limit));
        q.put("offset", String.valueOf(offset));
        boolean byStatus = status != null && !status.isBlank();
        if (agentId == null || agentId.isBlank()) {
            if (byStatus) {
                q.put("status", status);
            }
            return get("/api/runs", q);
        }
        JsonNode page = get("/api/agents/" + agentId + "/runs", q);
        if (!byStatus || !(page instanceof ObjectNode o)) {
            return page;
        }
        // the original's agent run list has no status filter: this page is filtered here
        com.fasterxml.jackson.databind.node.ArrayNode kept = DesktopJson.MAPPER.createArrayNode();
        page.path("data").forEach(r -> {
            if (status.equals(r.path("status").asText())) {
                kept.add(r);
            }
        });
        o.set("data", kept);
        o.put("total", kept.size());
        return o;
    }

    public JsonNode run(String runId) {
        return get("/api/runs/" + runId, Map.of());
    }

    public JsonNode cancelRun(String runId) {
        return send("POST", "/api/runs/" + runId + "/cancel", Map.of(), json(DesktopJson.object()));
    }

    public JsonNode deleteAgentRuns(String packageId) {
        return send("DELETE", "/api/agents/" + packageId + "/runs", Map.of(), null);
    }

    /** One page of stored log lines with id greater than {@code since}, oldest first. */
    public LogPage runLogs(String runId, long since, int limit) {
        JsonNode page = get("/api/runs/" + runId + "/logs", Map.of("since", String.valueOf(since), "limit", String.valueOf(limit)));
        List<JsonNode> rows = new ArrayList<>();
        page.path("data").forEach(rows::add);
        return new LogPage(rows, page.path("hasMore").asBoolean(false));
    }

    /** Writes every stored log line of a run to {@code out}, one formatted line each (the whole log, not a view buffer). */
    public long exportRunLogs(String runId, OutputStream out, java.util.function.Function<JsonNode, String> format) throws IOException {
        long since = 0;
        long count = 0;
        while (true) {
            LogPage page = runLogs(runId, since, 1000);
            for (JsonNode row : page.rows()) {
                out.write((format.apply(row) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                count++;
            }
            long next = page.lastId(since);
            if (!page.hasMore() || next == since) {
                return count;
            }
            since = next;
        }
    }

    // ---- API keys and applications

    public JsonNode apiKeys() {
        return get("/api/api-keys", Map.of());
    }

    /** Creates a key; the answer holds the raw {@code key}, shown once. */
    public JsonNode createApiKey(String name) {
        return send("POST", "/api/api-keys", Map.of(), json(DesktopJson.object().put("name", name)));
    }

    public void revokeApiKey(String id) {
        send("DELETE", "/api/api-keys/" + id, Map.of(), null);
    }

    public JsonNode applications() {
        return get("/api/applications", Map.of());
    }

    public JsonNode createApplication(String name) {
        return send("POST", "/api/applications", Map.of(), json(DesktopJson.object().put("name", name)));
    }

    public void deleteApplication(String id) {
        send("DELETE", "/api/applications/" + id, Map.of(), null);
    }

    // ---- realtime (SSE)

    /**
     * Opens {@code /api/realtime/runs/{id}} (or every run of the app when runId is null). When
     * {@code lastEventId} is positive the server replays the log lines after it, so a reconnect loses nothing.
     */
    public EventSource stream(String runId, long lastEventId, EventSourceListener listener) {
        return stream(runId, lastEventId, null, listener);
    }

    /** {@link #stream} of the application's {@code run_update} events alone (a runs table needs no log lines). */
    public EventSource runUpdates(EventSourceListener listener) {
        return stream(null, 0, "run_update", listener);
    }

    private EventSource stream(String runId, long lastEventId, String channels, EventSourceListener listener) {
        HttpUrl.Builder url = HttpUrl.get(endpoint.baseUrl() + "/api/realtime/runs" + (runId == null ? "" : "/" + runId)).newBuilder();
        if (channels != null) {
            url.addQueryParameter("channels", channels);
        }
        if (!endpoint.token().isEmpty()) {
            url.addQueryParameter("token", endpoint.token());
        }
        if (applicationId != null && !endpoint.apiKey()) {
            url.addQueryParameter("applicationId", applicationId);
        }
        Request.Builder req = authorized(new Request.Builder().url(url.build())).header("Accept", "text/event-stream");
        if (lastEventId > 0) {
            req.header("Last-Event-ID", String.valueOf(lastEventId));
        }
        return EventSources.createFactory(streaming).newEventSource(req.build(), listener);
    }

    // ---- plumbing

    public JsonNode get(String path, Map<String, String> query) {
        return send("GET", path, query, null);
    }

    /** A plain-text answer (e.g. a whole tool result); an error answer throws {@link ApiProblem}. */
    public String getText(String path) {
        guard("GET", path);
        Request req = authorized(new Request.Builder().url(endpoint.baseUrl() + path)).header("Accept", "text/plain, application/problem+json").get().build();
        try (Response r = http.newCall(req).execute()) {
            String text = bodyText(r);
            if (!r.isSuccessful()) {
                throw learned(ApiProblem.fromBody(r.code(), "GET", path, text.isBlank() ? DesktopJson.object() : parse(text)));
            }
            return text;
        } catch (IOException e) {
            throw ApiProblem.unreachable(endpoint.baseUrl(), e);
        }
    }

    /** Sends a JSON body (null for none) and returns the JSON answer; an error answer throws {@link ApiProblem}. */
    public JsonNode send(String method, String path, JsonNode body) {
        return send(method, path, Map.of(), body == null ? null : json(body));
    }

    public JsonNode send(String method, String path, Map<String, String> query, RequestBody body) {
        return send(method, path, query, body, null);
    }

    /** A page of one application's runs with that status, whichever application the window works in (the owner's). */
    public JsonNode runsIn(String applicationId, String status, int limit) {
        return send("GET", "/api/runs", Map.of("status", status, "limit", String.valueOf(limit)), null, applicationId);
    }

    private JsonNode send(String method, String path, Map<String, String> query, RequestBody body, String inApplication) {
        guard(method, path);
        HttpUrl.Builder url = HttpUrl.get(endpoint.baseUrl() + path).newBuilder();
        query.forEach(url::addQueryParameter);
        Request.Builder builder = authorized(new Request.Builder().url(url.build()));
        if (inApplication != null) {
            builder.header("X-Application-Id", inApplication); // replaces the window's application for this request
        }
        Request req = builder
                .method(method, body == null && !method.equals("GET") && !method.equals("DELETE")
                        ? RequestBody.create(new byte[0], null) : body)
                .build();
        try (Response r = http.newCall(req).execute()) {
            String text = bodyText(r);
            JsonNode json = text.isBlank() ? DesktopJson.object() : parse(text);
            if (!r.isSuccessful()) {
                throw learned(ApiProblem.fromBody(r.code(), method, path, json));
            }
            return json;
        } catch (IOException e) {
            throw ApiProblem.unreachable(endpoint.baseUrl(), e);
        }
    }

    /** Our extensions are sent only to a server known to have them (see {@link ServerExtensions}). */
    private void guard(String method, String path) {
        ServerExtensions.of(method, path).ifPresent(e -> {
            if (!capabilities.has(e.capability())) {
                throw ApiProblem.notOnThisServer(method, path, e.capability());
            }
        });
    }

    /** A refusal naming a missing permission is remembered, so screens hide what the key cannot do. */
    private ApiProblem learned(ApiProblem p) {
        String scope = p.missingScope();
        if (!scope.isEmpty()) {
            capabilities = capabilities.denying(scope);
        }
        return p;
    }

    private Request.Builder request(String path) {
        return authorized(new Request.Builder().url(endpoint.baseUrl() + path));
    }

    private Request.Builder authorized(Request.Builder b) {
        if (!endpoint.token().isEmpty()) {
            b.header("Authorization", "Bearer " + endpoint.token());
        }
        if (applicationId != null && !endpoint.apiKey()) {
            b.header("X-Application-Id", applicationId);
        }
        return b.header("Accept", "application/json, application/problem+json");
    }

    private static RequestBody json(JsonNode node) {
        try {
            return RequestBody.create(DesktopJson.MAPPER.writeValueAsBytes(node), JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return DesktopJson.MAPPER.readTree(text);
        } catch (IOException e) {
            return DesktopJson.object().put("detail", text.length() > 500 ? text.substring(0, 500) : text);
        }
    }

    private static String bodyText(Response r) throws IOException {
        ResponseBody b = r.body();
        return b == null ? "" : b.string();
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
