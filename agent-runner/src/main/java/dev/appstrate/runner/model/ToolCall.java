package dev.appstrate.runner.model;

/**
 * One tool call requested by the model.
 *
 * @param arguments the raw JSON argument text as the model sent it (may be malformed)
 */
public record ToolCall(String id, String name, String arguments) {
}
