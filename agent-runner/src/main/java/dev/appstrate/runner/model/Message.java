package dev.appstrate.runner.model;

import java.util.List;

/** Provider-neutral conversation history; each {@link ModelClient} translates it to its wire shape. */
public sealed interface Message {

    record User(String text) implements Message {
    }

    record Assistant(String text, List<ToolCall> toolCalls) implements Message {
    }

    /** Results of the tool calls of the preceding assistant message, in call order. */
    record ToolResults(List<Result> results) implements Message {
    }

    record Result(String toolCallId, String toolName, String text, boolean isError) {
    }
}
