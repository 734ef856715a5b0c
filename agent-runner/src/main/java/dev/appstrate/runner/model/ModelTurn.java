package dev.appstrate.runner.model;

import java.util.List;

/** One model answer: text (possibly empty), tool calls (possibly none), usage and stop reason. */
public record ModelTurn(String text, List<ToolCall> toolCalls, TokenUsage usage, String stopReason) {
}
