package dev.appstrate.runner.model;

import com.fasterxml.jackson.databind.JsonNode;

/** A tool definition as offered to the model: name, description and JSON-Schema parameters. */
public record ToolSpec(String name, String description, JsonNode parameters) {
}
