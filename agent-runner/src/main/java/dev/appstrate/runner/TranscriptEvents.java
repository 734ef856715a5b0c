package dev.appstrate.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.appstrate.runner.model.ModelApi;
import dev.appstrate.runner.model.ModelTurn;
import dev.appstrate.runner.model.TokenUsage;
import dev.appstrate.runner.model.ToolCall;
import dev.appstrate.runner.model.ToolSpec;
import dev.appstrate.runner.tools.ToolOutcome;
import dev.appstrate.runner.tools.Toolbox;
import java.time.Instant;
import java.util.List;

/**
 * The run inspector's events, beside the original's progress events: {@code appstrate.transcript.start}
 * (system prompt as sent, tool definitions, model, output schema), one {@code appstrate.transcript.turn}
 * per model request (the messages added since the previous request, the answer, usage, latency, cost) and
 * one {@code appstrate.transcript.tool_result} per tool call (the whole result the model got, plus
 * stdout/stderr/exit code or file paths). A turn carries only new messages, so a run's events grow
 * linearly with its length; tool results appear in later turns as {@code {role:"tool", toolCallId}} and
 * the server fills them in. Every text goes through the runner's redactor.
 */
final class TranscriptEvents {
    static final String START = "appstrate.transcript.start";
    static final String TURN = "appstrate.transcript.turn";
    static final String TOOL_RESULT = "appstrate.transcript.tool_result";

    private final Redactor redactor;
    private final RunnerConfig config;
    /** Messages appended to the conversation since the last model request; only the loop thread touches it. */
    private ArrayNode added = Json.array();

    TranscriptEvents(RunnerConfig config, Redactor redactor) {
        this.config = config;
        this.redactor = redactor;
    }

    ObjectNode start(List<ToolSpec> specs) {
        ObjectNode d = Json.object();
        d.put("systemPrompt", redactor.scrub(config.prompt()));
        ArrayNode tools = d.putArray("tools");
        for (ToolSpec s : specs) {
            tools.addObject().put("name", s.name()).put("description", s.description()).set("parameters", s.parameters());
        }
        d.putObject("model").put("id", config.modelId())
                .put("provider", config.modelApi() == ModelApi.ANTHROPIC_MESSAGES ? "anthropic" : "openai");
        d.set("outputSchema", config.outputSchema());
        return d;
    }

    void userMessage(String text) {
        added.addObject().put("role", "user").put("content", redactor.scrub(text));
    }

    void assistantMessage(ModelTurn answer) {
        ObjectNode m = added.addObject().put("role", "assistant").put("content", redactor.scrub(answer.text()));
        m.set("toolCalls", calls(answer.toolCalls()));
    }

    void toolMessage(ToolCall call) {
        added.addObject().put("role", "tool").put("toolCallId", call.id()).put("name", call.name());
    }

    /** The turn's event: takes the messages added since the previous request. */
    ObjectNode turn(int index, long startedAtMillis, long latencyMs, ModelTurn answer, String error) {
        ObjectNode d = Json.object().put("index", index).put("startedAt", Instant.ofEpochMilli(startedAtMillis).toString())
                .put("latencyMs", latencyMs);
        d.putObject("request").set("messages", added);
        added = Json.array();
        if (answer == null) {
            d.putNull("response");
            d.set("toolCalls", Json.array());
            d.putNull("usage");
        } else {
            d.putObject("response").put("text", redactor.scrub(answer.text())).put("stopReason", answer.stopReason());
            d.set("toolCalls", calls(answer.toolCalls()));
            TokenUsage u = answer.usage();
            ObjectNode usage = d.putObject("usage").put("inputTokens", u.input()).put("outputTokens", u.output())
                    .put("cacheReadTokens", u.cacheRead()).put("cacheWriteTokens", u.cacheWrite());
            if (config.modelCost() != null) {
                usage.put("costUsd", config.modelCost().cost(u));
            } else {
                usage.putNull("costUsd");
            }
        }
        d.put("error", error == null ? null : redactor.scrub(error));
        return d;
    }

    ObjectNode toolResult(int turn, ToolCall call, ToolOutcome outcome, long durationMs) {
        ObjectNode d = Json.object().put("turn", turn).put("toolCallId", call.id()).put("name", call.name())
                .put("durationMs", durationMs).put("isError", outcome.isError()).put("text", redactor.scrub(outcome.text()));
        ObjectNode details = Json.object();
        if (outcome.details() != null) {
            outcome.details().properties().forEach(e -> details.set(e.getKey(),
                    e.getValue().isTextual() ? TextNode.valueOf(redactor.scrub(e.getValue().asText())) : e.getValue()));
        }
        d.set("details", details);
        return d;
    }

    private ArrayNode calls(List<ToolCall> calls) {
        ArrayNode a = Json.array();
        for (ToolCall c : calls) {
            a.addObject().put("id", c.id()).put("name", c.name()).set("arguments", arguments(c.arguments()));
        }
        return a;
    }

    /** Parsed arguments (scrubbed first, so a secret never survives in a string), or {@code {"raw": …}} when malformed. */
    private JsonNode arguments(String raw) {
        String clean = redactor.scrub(raw);
        try {
            return Toolbox.parseArguments(clean);
        } catch (IllegalArgumentException e) {
            return Json.object().put("raw", clean);
        }
    }
}
