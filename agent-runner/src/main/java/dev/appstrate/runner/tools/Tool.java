package dev.appstrate.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.runner.Json;

/** A tool the model may call. */
public interface Tool {
    String name();

    String description();

    /** JSON Schema of the arguments object. */
    JsonNode parameters();

    ToolOutcome execute(JsonNode args) throws ToolFailure, InterruptedException;

    /** A string argument, accepting alternative names (e.g. {@code old_string} / {@code oldText}). */
    static String stringArg(JsonNode args, boolean required, String... names) throws ToolFailure {
        for (String n : names) {
            JsonNode v = args.get(n);
            if (v != null && !v.isNull()) {
                if (!v.isTextual()) {
                    throw new ToolFailure("Argument '" + n + "' must be a string");
                }
                return v.asText();
            }
        }
        if (required) {
            throw new ToolFailure("Missing required argument '" + names[0] + "'");
        }
        return null;
    }

    /** Starts an object schema: {@code {"type":"object","properties":{},"required":[…]}}. */
    static ObjectNode objectSchema(String... required) {
        ObjectNode s = Json.object().put("type", "object");
        s.putObject("properties");
        var req = s.putArray("required");
        for (String r : required) {
            req.add(r);
        }
        return s;
    }

    static ObjectNode prop(ObjectNode schema, String name, String type, String description) {
        ObjectNode p = ((ObjectNode) schema.get("properties")).putObject(name).put("type", type);
        p.put("description", description);
        return p;
    }
}
