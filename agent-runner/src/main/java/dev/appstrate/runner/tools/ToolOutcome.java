package dev.appstrate.runner.tools;

/** What a tool hands back to the model: text, flagged as an error or not. */
public record ToolOutcome(String text, boolean isError) {
    public static ToolOutcome ok(String text) {
        return new ToolOutcome(text, false);
    }

    public static ToolOutcome error(String text) {
        return new ToolOutcome(text, true);
    }
}
