package dev.appstrate.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the parts of an AFPS integration manifest that connections need ({@code name}, {@code auths}
 * with {@code type}, {@code authorized_uris}, {@code credentials.schema}, {@code delivery.http|env}),
 * reporting every problem at once as a 400 validation error.
 */
public final class IntegrationManifests {
    public static final Pattern PACKAGE_ID = Pattern.compile("^@[a-z0-9]([a-z0-9-]*[a-z0-9])?/[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
    public static final Pattern AUTH_KEY = Pattern.compile("^[a-z][a-z0-9_]*$");
    private static final Pattern FIELD = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Z_][A-Z0-9_]*$");
    private static final Pattern HEADER_NAME = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");

    private IntegrationManifests() {
    }

    public static IntegrationDefinition parse(JsonNode m) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        if (m == null || !m.isObject()) {
            throw ApiException.validation("manifest", "invalid_type", "Expected a JSON object");
        }
        String name = text(m, "name");
        if (name == null || !PACKAGE_ID.matcher(name).matches()) {
            errors.add(new ApiException.FieldError("manifest.name", "invalid_format",
                    "Must be a package id such as @my-org/acme"));
        }
        String type = text(m, "type");
        if (type != null && !type.equals("integration")) {
            errors.add(new ApiException.FieldError("manifest.type", "invalid_value", "Must be \"integration\""));
        }
        Map<String, IntegrationAuth> auths = new LinkedHashMap<>();
        JsonNode authsNode = m.get("auths");
        if (authsNode == null || !authsNode.isObject() || authsNode.isEmpty()) {
            errors.add(new ApiException.FieldError("manifest.auths", "required",
                    "Declare at least one auth, e.g. {\"primary\":{\"type\":\"api_key\",\"authorized_uris\":[\"https://api.example.com/**\"]}}"));
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = authsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                IntegrationAuth a = auth(e.getKey(), e.getValue(), "manifest.auths." + e.getKey(), errors);
                if (a != null) {
                    auths.put(a.key(), a);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        String display = text(m, "display_name");
        return new IntegrationDefinition(name, display != null ? display : name, text(m, "description"), auths, m);
    }

    private static IntegrationAuth auth(String key, JsonNode a, String path, List<ApiException.FieldError> errors) {
        int before = errors.size();
        if (!AUTH_KEY.matcher(key).matches()) {
            errors.add(new ApiException.FieldError(path, "invalid_format", "Auth keys match ^[a-z][a-z0-9_]*$"));
        }
        if (!a.isObject()) {
            errors.add(new ApiException.FieldError(path, "invalid_type", "Expected an object"));
            return null;
        }
        String type = text(a, "type");
        if (type == null) {
            errors.add(new ApiException.FieldError(path + ".type", "required", "One of api_key, basic, custom"));
        }
        List<String> uris = new ArrayList<>();
        JsonNode u = a.get("authorized_uris");
        if (u != null && !u.isNull()) {
            if (!u.isArray()) {
                errors.add(new ApiException.FieldError(path + ".authorized_uris", "invalid_type", "Expected an array of URL patterns"));
            } else {
                for (int i = 0; i < u.size(); i++) {
                    String p = u.get(i).isTextual() ? u.get(i).asText() : null;
                    if (p == null || !AuthorizedUris.validPattern(p)) {
                        errors.add(new ApiException.FieldError(path + ".authorized_uris[" + i + "]", "invalid_format",
                                "Must be an http(s) URL pattern such as https://api.example.com/**"));
                    } else {
                        uris.add(p);
                    }
                }
            }
        }
        List<IntegrationAuth.CredentialField> fields = new ArrayList<>();
        JsonNode schema = a.path("credentials").path("schema");
        boolean declared = schema.isObject() && schema.path("properties").isObject();
        if (declared) {
            List<String> required = new ArrayList<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!FIELD.matcher(f.getKey()).matches()) {
                    errors.add(new ApiException.FieldError(path + ".credentials.schema.properties." + f.getKey(),
                            "invalid_format", "Credential field names match ^[A-Za-z_][A-Za-z0-9_]*$"));
                    continue;
                }
                fields.add(new IntegrationAuth.CredentialField(f.getKey(), text(f.getValue(), "description"),
                        required.contains(f.getKey())));
            }
        } else if ("api_key".equals(type)) {
            fields.add(new IntegrationAuth.CredentialField("api_key", "API key", true));
        } else if ("basic".equals(type)) {
            fields.add(new IntegrationAuth.CredentialField("username", "Username", true));
            fields.add(new IntegrationAuth.CredentialField("password", "Password", true));
        }
        IntegrationAuth.HttpDelivery http = null;
        JsonNode h = a.path("delivery").path("http");
        if (h.isObject()) {
            String in = text(h, "in");
            if (in != null && !in.equals("header")) {
                errors.add(new ApiException.FieldError(path + ".delivery.http.in", "invalid_value",
                        "Only \"header\" delivery is supported"));
            }
            String headerName = text(h, "name");
            if (headerName == null) {
                headerName = text(h, "headerName");
            }
            if (headerName != null && !HEADER_NAME.matcher(headerName).matches()) {
                errors.add(new ApiException.FieldError(path + ".delivery.http.name", "invalid_format", "Not a valid header name"));
            }
            String prefix = text(h, "prefix");
            if (prefix == null) {
                prefix = text(h, "headerPrefix");
            }
            http = new IntegrationAuth.HttpDelivery(headerName, prefix, text(h, "value"),
                    h.path("allowServerOverride").asBoolean(false) || h.path("allow_server_override").asBoolean(false));
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode envNode = a.path("delivery").path("env");
        if (envNode.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = envNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!ENV_NAME.matcher(e.getKey()).matches() || !e.getValue().isTextual()) {
                    errors.add(new ApiException.FieldError(path + ".delivery.env." + e.getKey(), "invalid_format",
                            "Env delivery maps UPPER_CASE names to templates such as {$credential.api_key}"));
                } else {
                    env.put(e.getKey(), e.getValue().asText());
                }
            }
        }
        boolean required = a.path("_meta").path("dev.appstrate/auth").path("required").asBoolean(true);
        if (errors.size() > before) {
            return null;
        }
        return new IntegrationAuth(key, type, required, List.copyOf(uris), List.copyOf(fields), declared, http, java.util.Collections.unmodifiableMap(env));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }
}
