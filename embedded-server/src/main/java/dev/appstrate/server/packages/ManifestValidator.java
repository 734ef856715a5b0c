package dev.appstrate.server.packages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The original's manifest rules (AFPS schema plus Appstrate's extensions), reported field by field
 * as {@code manifest.<path>} with code {@code invalid_manifest}, as the original reports them.
 */
public final class ManifestValidator {
    public static final Pattern NAME = Pattern.compile("^@[a-z0-9]([a-z0-9-]*[a-z0-9])?/[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
    public static final Pattern SEMVER = Pattern.compile("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");
    private static final Pattern SCHEMA_VERSION = Pattern.compile("^0\\.(0|[1-9]\\d*)$");
    private static final Pattern MAJOR_MINOR = Pattern.compile("^\\d+\\.\\d+$");
    private static final Pattern AUTH_KEY = Pattern.compile("^[a-z][a-z0-9_]*$");
    public static final Set<String> TYPES = Set.of("agent", "skill", "integration", "mcp-server");
    public static final List<String> RUNTIME_TOOLS = List.of("output", "log", "note", "pin", "publish_document");
    private static final String CODE = "invalid_manifest";

    private final SchemaValidator schemas;

    public ManifestValidator(SchemaValidator schemas) {
        this.schemas = schemas;
    }

    /** Every problem of this manifest; {@code expectedType} (agent, skill) when the route fixes it. */
    public List<FieldError> validate(JsonNode m, String expectedType) {
        List<FieldError> errors = new ArrayList<>();
        if (m == null || !m.isObject()) {
            errors.add(err("manifest", "Invalid input: expected object"));
            return errors;
        }
        String name = requiredString(m, "name", errors);
        if (name != null && !NAME.matcher(name).matches()) {
            errors.add(err("manifest.name", "Must be a scoped name like @scope/name (lowercase letters, digits and dashes)"));
        }
        String version = requiredString(m, "version", errors);
        if (version != null && !SEMVER.matcher(version).matches()) {
            errors.add(err("manifest.version", "Must be a semantic version (e.g. 1.0.0)"));
        }
        String type = requiredString(m, "type", errors);
        if (type != null) {
            if (!TYPES.contains(type)) {
                errors.add(err("manifest.type", "Invalid option: expected one of \"agent\"|\"skill\"|\"integration\"|\"mcp-server\""));
            } else if (expectedType != null && !expectedType.equals(type)) {
                errors.add(err("manifest.type", "Expected \"" + expectedType + "\""));
            }
        }
        String schemaVersion = requiredString(m, "schema_version", errors);
        if (schemaVersion != null && !SCHEMA_VERSION.matcher(schemaVersion).matches()) {
            errors.add(err("manifest.schema_version", MAJOR_MINOR.matcher(schemaVersion).matches()
                    ? "Unsupported schema_version " + schemaVersion + "; this server reads 0.x"
                    : "Must follow MAJOR.MINOR format (e.g. \"0.0\")"));
        }
        if ("agent".equals(type)) {
            requiredString(m, "display_name", errors);
        } else {
            optionalString(m, "display_name", errors);
        }
        optionalString(m, "description", errors);
        optionalString(m, "long_description", errors);
        optionalString(m, "license", errors);
        author(m.get("author"), errors);
        stringArray(m, "keywords", errors);
        dependencies(m, errors);
        boolean hasOutputSchema = false;
        if ("agent".equals(type) || m.has("input") || m.has("output")) {
            schemaWrapper(m, "input", errors);
            hasOutputSchema = schemaWrapper(m, "output", errors);
        }
        JsonNode tools = m.get("runtime_tools");
        boolean declaresOutput = false;
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                errors.add(err("manifest.runtime_tools", "Invalid input: expected array"));
            } else {
                for (int i = 0; i < tools.size(); i++) {
                    JsonNode t = tools.get(i);
                    if (!t.isTextual() || !RUNTIME_TOOLS.contains(t.asText())) {
                        errors.add(err("manifest.runtime_tools[" + i + "]", "Unknown runtime tool; expected one of " + RUNTIME_TOOLS));
                    } else if (t.asText().equals("output")) {
                        declaresOutput = true;
                    }
                }
            }
        }
        if (hasOutputSchema && !declaresOutput) {
            errors.add(err("manifest.runtime_tools", "An agent with an output schema must list \"output\" in runtime_tools"));
        }
        JsonNode timeout = m.get("timeout");
        if (timeout != null && !timeout.isNull() && (!timeout.isNumber() || timeout.asDouble() <= 0)) {
            errors.add(err("manifest.timeout", "Must be a number of seconds greater than 0"));
        }
        integrationsConfiguration(m, errors);
        JsonNode meta = m.get("_meta");
        if (meta != null && !meta.isNull() && !meta.isObject()) {
            errors.add(err("manifest._meta", "Invalid input: expected object"));
        }
        return errors;
    }

    private static void author(JsonNode a, List<FieldError> errors) {
        if (a == null || a.isNull() || a.isTextual()) {
            return;
        }
        if (!a.isObject() || !a.path("name").isTextual()) {
            errors.add(err("manifest.author", "Must be a string or an object {name, email?, url?}"));
        }
    }

    private static void dependencies(JsonNode m, List<FieldError> errors) {
        JsonNode deps = m.get("dependencies");
        if (deps == null || deps.isNull()) {
            return;
        }
        if (!deps.isObject()) {
            errors.add(err("manifest.dependencies", "Invalid input: expected object"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = deps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> group = it.next();
            String g = group.getKey();
            if (!Set.of("skills", "mcp_servers", "integrations").contains(g)) {
                errors.add(err("manifest.dependencies." + g, "Unknown dependency group; expected skills, mcp_servers or integrations"));
                continue;
            }
            if (!group.getValue().isObject()) {
                errors.add(err("manifest.dependencies." + g, "Must map package ids to version ranges"));
                continue;
            }
            group.getValue().fields().forEachRemaining(d -> {
                if (!NAME.matcher(d.getKey()).matches()) {
                    errors.add(err("manifest.dependencies." + g + "." + d.getKey(), "Must be a scoped package id like @scope/name"));
                } else if (!d.getValue().isTextual() || d.getValue().asText().isBlank()) {
                    errors.add(err("manifest.dependencies." + g + "." + d.getKey(), "Must be a version range string"));
                }
            });
        }
    }

    private static void integrationsConfiguration(JsonNode m, List<FieldError> errors) {
        JsonNode ic = m.get("integrations_configuration");
        if (ic == null || ic.isNull()) {
            return;
        }
        if (!ic.isObject()) {
            errors.add(err("manifest.integrations_configuration", "Invalid input: expected object"));
            return;
        }
        JsonNode declared = m.path("dependencies").path("integrations");
        ic.fields().forEachRemaining(e -> {
            String f = "manifest.integrations_configuration." + e.getKey();
            if (!declared.has(e.getKey())) {
                errors.add(err(f, "Must also be listed in dependencies.integrations"));
            }
            JsonNode key = e.getValue().get("auth_key");
            if (key != null && !(key.isTextual() && AUTH_KEY.matcher(key.asText()).matches())) {
                errors.add(err(f + ".auth_key", "Must match ^[a-z][a-z0-9_]*$"));
            }
        });
    }

    /** Checks {@code input}/{@code output}: an object whose {@code schema} is a valid JSON Schema of an object. */
    private boolean schemaWrapper(JsonNode m, String field, List<FieldError> errors) {
        JsonNode w = m.get(field);
        if (w == null || w.isNull()) {
            return false;
        }
        String f = "manifest." + field;
        if (!w.isObject()) {
            errors.add(err(f, "Invalid input: expected object"));
            return false;
        }
        JsonNode schema = w.get("schema");
        if (schema == null || schema.isNull()) {
            errors.add(err(f + ".schema", "Invalid input: expected object"));
            return false;
        }
        if (!schema.isObject()) {
            errors.add(err(f + ".schema", "Must be a JSON Schema object"));
            return false;
        }
        List<SchemaValidator.SchemaError> problems = schemas.checkSchema(schema);
        for (SchemaValidator.SchemaError p : problems) {
            String at = p.path().equals("$") ? "" : p.path().substring(1);
            errors.add(err(f + ".schema" + at, "Not a valid JSON Schema: " + p.message()));
        }
        if (problems.isEmpty() && schema.has("type") && !"object".equals(schema.get("type").asText())) {
            errors.add(err(f + ".schema.type", "Must be \"object\""));
        }
        JsonNode order = w.get("property_order");
        if (order != null && !order.isNull() && !order.isArray()) {
            errors.add(err(f + ".property_order", "Invalid input: expected array"));
        }
        return schema.size() > 0 && (schema.has("properties") ? schema.get("properties").size() > 0 : true);
    }

    private static String requiredString(JsonNode m, String f, List<FieldError> errors) {
        JsonNode v = m.get(f);
        if (v == null || v.isNull()) {
            errors.add(err("manifest." + f, "Invalid input: expected string, received undefined"));
            return null;
        }
        if (!v.isTextual()) {
            errors.add(err("manifest." + f, "Invalid input: expected string, received " + kind(v)));
            return null;
        }
        if (v.asText().isBlank()) {
            errors.add(err("manifest." + f, "Must not be empty"));
            return null;
        }
        return v.asText();
    }

    private static void optionalString(JsonNode m, String f, List<FieldError> errors) {
        JsonNode v = m.get(f);
        if (v != null && !v.isNull() && !v.isTextual()) {
            errors.add(err("manifest." + f, "Invalid input: expected string, received " + kind(v)));
        }
    }

    private static void stringArray(JsonNode m, String f, List<FieldError> errors) {
        JsonNode v = m.get(f);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isArray()) {
            errors.add(err("manifest." + f, "Invalid input: expected array, received " + kind(v)));
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                errors.add(err("manifest." + f + "[" + i + "]", "Invalid input: expected string"));
            }
        }
    }

    private static String kind(JsonNode v) {
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        if (v.isArray()) {
            return "array";
        }
        if (v.isObject()) {
            return "object";
        }
        return v.getNodeType().name().toLowerCase();
    }

    private static FieldError err(String field, String message) {
        return new FieldError(field, CODE, message);
    }
}
