package dev.appstrate.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.appstrate.server.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/** One HTTP request as the routes see it: already authenticated and with its body read. */
public final class ApiRequest {
    private final String method;
    private final String path;
    private final String rawQuery;
    private final Function<String, String> headers;
    private byte[] body;
    private java.io.InputStream bodyStream;
    /** The body parsed once: a route may read it as more than one record (ModelRoutes' CapabilityPatch). */
    private JsonNode bodyTree;
    private final String requestId;
    private final String baseUrl;
    private Map<String, String> query;
    private Map<String, String> pathParams = Map.of();
    private String routePattern;
    private AuthContext auth;
    private String applicationId;
    private Supplier<Set<String>> headerNames = Set::of;
    private boolean queryCredentials;

    public ApiRequest(String method, String path, String rawQuery, Function<String, String> headers, byte[] body,
                      String requestId, String baseUrl) {
        this.method = method;
        this.path = path;
        this.rawQuery = rawQuery;
        this.headers = headers;
        this.body = body;
        this.requestId = requestId;
        this.baseUrl = baseUrl;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String rawQuery() {
        return rawQuery;
    }

    public String requestId() {
        return requestId;
    }

    /** The origin clients use to reach this server (APP_URL), for absolute links. */
    public String baseUrl() {
        return baseUrl;
    }

    public String header(String name) {
        return headers.apply(name);
    }

    /** The token of an {@code Authorization: Bearer <token>} header (trimmed), or null when there is none. */
    public String bearerToken() {
        String auth = header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        return queryCredentials ? queryParam("token").orElse(null) : null;
    }

    /** Set before authentication when the matched route takes its credential from the query (see Route#queryCredentials). */
    void queryCredentials(boolean value) {
        this.queryCredentials = value;
    }

    public boolean queryCredentials() {
        return queryCredentials;
    }

    /** Every header name the client sent, for routes that forward headers (the credential proxy). */
    public Set<String> headerNames() {
        return headerNames.get();
    }

    void headerNames(Supplier<Set<String>> names) {
        this.headerNames = names;
    }

    public byte[] body() {
        return body;
    }

    /** The unread body of a {@link Route#streamedBody(long)} route (its {@link #body()} is empty); null on other routes. */
    public java.io.InputStream bodyStream() {
        return bodyStream;
    }

    void bodyStream(java.io.InputStream value) {
        this.bodyStream = value;
    }

    /** Set once the body has arrived: authentication and routing run on the headers alone. */
    void body(byte[] value) {
        this.body = value;
        this.bodyTree = null;
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    void route(String pattern, Map<String, String> params) {
        this.routePattern = pattern;
        this.pathParams = params;
    }

    public String routePattern() {
        return routePattern;
    }

    public Map<String, String> query() {
        if (query == null) {
            query = parseQuery(rawQuery);
        }
        return query;
    }

    public Optional<String> queryParam(String name) {
        String v = query().get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    public AuthContext auth() {
        return auth;
    }

    public void auth(AuthContext value) {
        this.auth = value;
    }

    /** The application this request acts in (pinned by an API key or sent as a header). */
    public String applicationId() {
        return applicationId;
    }

    public void applicationId(String value) {
        this.applicationId = value;
    }

    private JsonNode jsonBody() {
        if (body == null || body.length == 0) {
            throw ApiException.validation("body", "required", "Request body is required");
        }
        if (bodyTree != null) {
            return bodyTree;
        }
        try {
            bodyTree = Json.MAPPER.readTree(body);
            return bodyTree;
        } catch (Exception e) {
            throw ApiException.invalidRequest("Request body is not valid JSON", null);
        }
    }

    /**
     * Typed bodies refuse a number or boolean where a string is declared (Jackson would turn 20 into "20"). A holder:
     * built on the first typed body, not by the first request of all (/health at boot needs no mapper).
     */
    private static final class BodyMapper {
        static final ObjectMapper INSTANCE = strictStrings(Json.MAPPER.copy());
    }

    private static ObjectMapper strictStrings(ObjectMapper m) {
        var textual = m.coercionConfigFor(LogicalType.Textual);
        for (var shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            textual.setCoercion(shape, CoercionAction.Fail);
        }
        return m;
    }

    /** Parses the body strictly into a record: unknown fields and wrong types are 400 validation_failed. */
    public <T> T body(Class<T> type) {
        JsonNode node = jsonBody();
        if (!node.isObject()) {
            throw ApiException.validation("body", "invalid_type", "Expected a JSON object");
        }
        try {
            return BodyMapper.INSTANCE.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.validation(fieldPath(e), "unknown_field", "Unknown field '" + e.getPropertyName() + "'");
        } catch (InvalidFormatException e) {
            throw ApiException.validation(fieldPath(e), "invalid_type", "Invalid value");
        } catch (MismatchedInputException e) {
            throw ApiException.validation(fieldPath(e), "invalid_type", "Invalid type");
        } catch (JsonProcessingException e) {
            throw ApiException.validation("body", "invalid_request", "Invalid body");
        }
    }

    private static String fieldPath(MismatchedInputException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "body" : sb.toString();
    }

    static Map<String, String> parseQuery(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                m.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException ignored) {
                // a malformed escape is treated as an absent parameter
            }
        }
        return m;
    }
}
