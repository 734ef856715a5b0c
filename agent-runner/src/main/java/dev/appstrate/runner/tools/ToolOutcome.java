package dev.appstrate.runner.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a tool hands back to the model: text, flagged as an error or not; {@code details} is what the run
 * inspector shows beside it (bash: stdout, stderr, exitCode; file tools: paths), never sent to the model.
 */
public record ToolOutcome(String text, boolean isError, ObjectNode details) {
    public ToolOutcome(String text, boolean isError) {
        this(text, isError, null);
    }

    public static ToolOutcome ok(String text) {
        return new ToolOutcome(text, false);
    }

    public static ToolOutcome error(String text) {
        return new ToolOutcome(text, true);
    }

    public ToolOutcome withDetails(ObjectNode d) {
        return new ToolOutcome(text, isError, d);
    }
}
