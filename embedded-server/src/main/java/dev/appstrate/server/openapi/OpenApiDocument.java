package dev.appstrate.server.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.AppstrateHandler;
import dev.appstrate.server.http.Route;
import dev.appstrate.server.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The OpenAPI 3.1 document of this server: one operation per registered route, merged with the
 * original's description of the same operation (copied into {@code openapi/reference.json}).
 */
public final class OpenApiDocument {
    public static final String AFPS_AGENT_SCHEMA_ID = "https://schemas.afps.dev/v0/agent.schema.json";
    private static final String REF_PREFIX = "#/components/";

    private OpenApiDocument() {
    }

    /** The original's operations and components this server reuses. */
    public static ObjectNode reference() {
        return (ObjectNode) resource("/openapi/reference.json");
    }

    /** The local copy of the AFPS agent manifest schema that the original references by URL. */
    public static String afpsAgentSchema() {
        return Json.string(resource("/openapi/afps-agent-manifest.schema.json"));
    }

    public static ObjectNode build(List<Route> routes, String appVersion) {
        ObjectNode ref = reference();
        JsonNode known = ref.get("operations");
        JsonNode local = resource("/openapi/local-responses.json");
        // operations only this server has, with their descriptions and schemas (openapi/local-operations.json)
        JsonNode own = resource("/openapi/local-operations.json");
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.1.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Appstrate API (Appstrate Desktop)");
        info.put("version", AppstrateHandler.API_VERSION);
        info.put("description", "The subset of Appstrate's HTTP API that this local server (version " + appVersion
                + ") serves. Authenticate with `Authorization: Bearer <owner token>` (DATA_DIR/owner-token or "
                + "APPSTRATE_OWNER_TOKEN) or an API key `ask_…`. On app-scoped routes the owner sends `X-App-Id` "
                + "(or `X-Application-Id`); an API key is pinned to its application. Operations the original also "
                + "serves carry its description; `x-appstrate-permission` is the scope an API key needs, "
                + "`x-ratelimit` the per-minute limit per caller and `x-appstrate-extension` the name in "
                + "`GET /api/capabilities` of an operation only this server has.");
        doc.putArray("servers").addObject().put("url", "/").put("description", "This server");
        doc.putArray("security").addObject().putArray("bearerAuth");
        ObjectNode components = ref.get("components").deepCopy();
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject("bearerAuth").put("type", "http").put("scheme", "bearer")
                .put("description", "The owner credential or an API key (ask_ + 48 hex).");
        ObjectNode schemas = (ObjectNode) components.get("schemas");
        ObjectNode afps = (ObjectNode) resource("/openapi/afps-agent-manifest.schema.json");
        afps.remove("$schema");
        afps.remove("$id");
        schemas.set("AfpsAgentManifest", afps);
        own.path("components").path("schemas").properties().forEach(e -> schemas.set(e.getKey(), e.getValue()));
        components.withObject("/parameters").set("XAppIdAlias", Json.object().put("name", "X-App-Id").put("in", "header")
                .put("description", "Same as X-Application-Id (the name the troubleshooting guide uses); either is accepted.")
                .set("schema", Json.object().put("type", "string")));

        Map<String, ObjectNode> paths = new TreeMap<>();
        Set<String> tags = new TreeSet<>();
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparing(Route::pattern).thenComparing(Route::method));
        for (Route r : sorted) {
            String key = r.method() + " " + r.pattern();
            ObjectNode op = known.has(key) ? known.get(key).deepCopy()
                    : own.path("operations").has(key) ? own.path("operations").get(key).deepCopy() : Json.object();
            if (!op.has("operationId")) {
                op.put("operationId", operationId(r));
            }
            if (!op.has("tags") || op.get("tags").isEmpty()) {
                op.putArray("tags").add(r.tag().isEmpty() ? "Other" : r.tag());
            }
            op.get("tags").forEach(t -> tags.add(t.asText()));
            if (!op.has("summary") && !r.summary().isEmpty()) {
                op.put("summary", r.summary());
            }
            if (!known.has(key)) {
                op.put("x-appstrate-local", true);
            }
            parameters(r, op, components);
            if (r.isPublic()) {
                op.putArray("security");
            }
            if (r.permission() != null) {
                op.put("x-appstrate-permission", r.permission());
            }
            if (r.extension() != null) {
                op.put("x-appstrate-extension", r.extension());
            }
            if (r.rateLimitPerMinute() > 0) {
                op.putObject("x-ratelimit").put("limit", r.rateLimitPerMinute()).put("window", 60);
            }
            ObjectNode responses = op.withObject("/responses");
            // what this server answers beyond the original's description (its own operations, deliberate differences)
            local.path(key).fields().forEachRemaining(e -> responses.set(e.getKey(), e.getValue().deepCopy()));
            if (responses.isEmpty()) {
                responses.putObject(r.method().equals("DELETE") ? "204" : r.method().equals("POST") ? "201" : "200")
                        .put("description", "OK");
            }
            if (!r.isPublic() && !responses.has("401")) {
                responses.putObject("401").put("$ref", REF_PREFIX + "responses/Unauthorized");
            }
            // any authenticated call can be refused for its headers (application, Appstrate-Version) or its query
            if (!r.isPublic() && !responses.has("400")) {
                responses.putObject("400").put("$ref", REF_PREFIX + "responses/ValidationError");
            }
            if (!r.isPublic() && (r.pattern().contains("{") || r.isAppScoped()) && !responses.has("404")) {
                responses.putObject("404").put("$ref", REF_PREFIX + "responses/NotFound");
            }
            if (Set.of("POST", "PUT", "PATCH").contains(r.method()) && !responses.has("413")) {
                ObjectNode tooLarge = responses.putObject("413").put("description", "The body is over API_BODY_LIMIT_BYTES");
                tooLarge.putObject("content").putObject("application/problem+json").putObject("schema")
                        .put("$ref", REF_PREFIX + "schemas/ProblemDetail");
            }
            if (r.permission() != null && !responses.has("403")) {
                responses.putObject("403").put("$ref", REF_PREFIX + "responses/Forbidden");
            }
            if (r.rateLimitPerMinute() > 0 && !responses.has("429")) {
                responses.putObject("429").put("$ref", REF_PREFIX + "responses/RateLimited");
            }
            paths.computeIfAbsent(r.pattern(), k -> Json.object()).set(r.method().toLowerCase(), op);
        }
        ArrayNode tagList = doc.putArray("tags");
        tags.forEach(t -> tagList.addObject().put("name", t));
        ObjectNode pathsNode = doc.putObject("paths");
        paths.forEach(pathsNode::set);
        doc.set("components", components);
        replaceRef(doc, AFPS_AGENT_SCHEMA_ID, REF_PREFIX + "schemas/AfpsAgentManifest");
        return doc;
    }

    /** Path parameters of the pattern, the application headers and Idempotency-Key, each once. */
    private static void parameters(Route r, ObjectNode op, ObjectNode components) {
        ArrayNode params = op.has("parameters") ? (ArrayNode) op.get("parameters") : op.putArray("parameters");
        Set<String> present = new HashSet<>();
        for (JsonNode p : params) {
            JsonNode resolved = p.has("$ref") ? components.at(p.get("$ref").asText().substring(REF_PREFIX.length() - 1)) : p;
            present.add(resolved.path("in").asText() + ":" + resolved.path("name").asText());
        }
        for (String seg : r.pattern().split("/")) {
            if (seg.startsWith("{") && !present.contains("path:" + seg.substring(1, seg.length() - 1))) {
                String name = seg.substring(1, seg.length() - 1);
                params.addObject().put("name", name).put("in", "path").put("required", true)
                        .set("schema", Json.object().put("type", "string"));
            }
        }
        if (!r.isPublic() && r.isAppScoped()) {
            if (!present.contains("header:X-Application-Id")) {
                params.addObject().put("$ref", REF_PREFIX + "parameters/XAppId");
            }
            params.addObject().put("$ref", REF_PREFIX + "parameters/XAppIdAlias");
        }
        if (r.idempotent() && !present.contains("header:Idempotency-Key")) {
            params.addObject().put("$ref", REF_PREFIX + "parameters/IdempotencyKey");
        }
        if (params.isEmpty()) {
            op.remove("parameters");
        }
    }

    private static String operationId(Route r) {
        StringBuilder sb = new StringBuilder(r.method().toLowerCase());
        for (String seg : r.pattern().split("[/{}-]")) {
            if (!seg.isEmpty() && !seg.equals("api")) {
                sb.append(Character.toUpperCase(seg.charAt(0))).append(seg.substring(1));
            }
        }
        return sb.toString().replace(".", "");
    }

    private static void replaceRef(JsonNode node, String from, String to) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if (from.equals(o.path("$ref").asText(null))) {
                o.put("$ref", to);
            }
            for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
                replaceRef(it.next(), from, to);
            }
        } else if (node.isArray()) {
            node.forEach(n -> replaceRef(n, from, to));
        }
    }

    private static JsonNode resource(String path) {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
