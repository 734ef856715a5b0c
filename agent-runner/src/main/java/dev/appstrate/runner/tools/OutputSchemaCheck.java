package dev.appstrate.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small JSON Schema subset used to give the model quick feedback on {@code output} calls:
 * {@code type}, {@code required}, {@code properties}, {@code additionalProperties:false}, {@code items},
 * {@code enum}, {@code const}. Anything else is accepted here; the server validates fully at finalize.
 */
final class OutputSchemaCheck {
    private OutputSchemaCheck() {
    }

    static List<String> validate(JsonNode schema, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "", errors);
        return errors;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        String where = path.isEmpty() ? "/" : path;
        JsonNode type = schema.get("type");
        if (type != null && !matchesType(type, value)) {
            errors.add(where + " must be " + (type.isArray() ? "one of " + Json.write(type) : type.asText()));
            return;
        }
        JsonNode en = schema.get("enum");
        if (en != null && en.isArray()) {
            boolean found = false;
            for (JsonNode e : en) {
                found |= e.equals(value);
            }
            if (!found) {
                errors.add(where + " must be one of " + Json.write(en));
            }
        }
        JsonNode cst = schema.get("const");
        if (cst != null && !cst.equals(value)) {
            errors.add(where + " must be " + Json.write(cst));
        }
        if (value.isObject()) {
            for (JsonNode r : schema.path("required")) {
                if (!value.has(r.asText())) {
                    errors.add(where + " must have required property '" + r.asText() + "'");
                }
            }
            JsonNode props = schema.path("properties");
            boolean closed = schema.path("additionalProperties").isBoolean()
                    && !schema.get("additionalProperties").asBoolean();
            for (Map.Entry<String, JsonNode> f : value.properties()) {
                if (props.has(f.getKey())) {
                    check(props.get(f.getKey()), f.getValue(), path + "/" + f.getKey(), errors);
                } else if (closed) {
                    errors.add(where + " must not have additional property '" + f.getKey() + "'");
                }
            }
        } else if (value.isArray() && schema.path("items").isObject()) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "/" + i, errors);
            }
        }
    }

    private static boolean matchesType(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (matchesType(t, value)) {
                    return true;
                }
            }
            return false;
        }
        switch (type.asText()) {
            case "object":
                return value.isObject();
            case "array":
                return value.isArray();
            case "string":
                return value.isTextual();
            case "number":
                return value.isNumber();
            case "integer":
                return value.isIntegralNumber() || value.isNumber() && value.asDouble() == Math.rint(value.asDouble());
            case "boolean":
                return value.isBoolean();
            case "null":
                return value.isNull();
            default:
                return true;
        }
    }
}
