package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Validates a JSON instance against a JSON Schema; returns the problems ("path: message"), empty when valid. */
@FunctionalInterface
public interface SchemaCheck {
    List<String> validate(JsonNode schema, JsonNode instance);
}
