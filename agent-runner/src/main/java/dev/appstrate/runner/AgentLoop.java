package dev.appstrate.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.appstrate.runner.model.Message;
import dev.appstrate.runner.model.ModelClient;
import dev.appstrate.runner.model.ModelRequestException;
import dev.appstrate.runner.model.ModelTurn;
import dev.appstrate.runner.model.TokenUsage;
import dev.appstrate.runner.model.ToolCall;
import dev.appstrate.runner.model.ToolSpec;
import dev.appstrate.runner.tools.RuntimeToolListener;
import dev.appstrate.runner.tools.ToolOutcome;
import dev.appstrate.runner.tools.Toolbox;
import dev.appstrate.runner.tools.Workspace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The tool-calling loop: system prompt + kickoff message, then model turn → tool calls → results until
 * the model answers without tool calls, or a successful {@code output} call ends the run (as in the
 * original, the turn's remaining calls still run first). Emits progress, log, output, metric and error
 * events, and keeps the state the finalize body needs (output, usage, logs), readable from the
 * watchdog thread after a timeout.
 */
public final class AgentLoop implements RuntimeToolListener {
    static final String KICKOFF = "Execute the task described in your instructions.";
    static final String OUTPUT_REPROMPT = "You ended your turn without calling the `output` tool. This agent declares "
            + "an output schema, so the run cannot be delivered until `output` is called exactly once with all "
            + "required fields. Call `output` NOW, using only the work you have already done in this session. You "
            + "may use `read` to re-open files you wrote yourself (your `outputs/` directory) if their contents are "
            + "no longer in context; do not call any other tool, do not research anything new, and do not reply "
            + "with plain text.";
    static final String OUTPUT_MISSING = "Agent finished without calling the required `output` tool. This agent "
            + "declares an output schema, so it must call `output` exactly once before finishing with all required "
            + "fields.";
    private static final int EVENT_TEXT_LIMIT = 4000;
    private static final int EVENT_ARG_LIMIT = 1000;

    private final RunnerConfig config;
    private final ModelClient model;
    private final EventSink sink;
    private final Redactor redactor;
    private final LongSupplier millis;
    private final Toolbox toolbox;
    private final long startMillis;
    private final TranscriptEvents transcript;
    private int currentTurn;

    private volatile boolean stopped;
    private boolean outputThisTurn;
    // state read by the finalizing thread; guarded by this
    private TokenUsage usage = TokenUsage.ZERO;
    private JsonNode output;
    private final ArrayNode logs = Json.array();

    public AgentLoop(RunnerConfig config, ModelClient model, EventSink sink, LongSupplier millis) {
        this.config = config;
        this.model = model;
        this.sink = sink;
        this.redactor = config.redactor();
        this.millis = millis;
        this.toolbox = Toolbox.standard(new Workspace(config.workspaceDir()), config.toolResultByteLimit(),
                config.outputSchema(), this);
        this.startMillis = millis.getAsLong();
        this.transcript = new TranscriptEvents(config, redactor);
    }

    /** Stops emitting: called by the watchdog when the run is already being finalized elsewhere. */
    public void stop() {
        stopped = true;
    }

    public RunOutcome run() throws InterruptedException {
        List<ToolSpec> specs = toolbox.specs();
        List<Message> history = new ArrayList<>();
        history.add(new Message.User(kickoffMessage()));
        emit(TranscriptEvents.START, transcript.start(specs));
        transcript.userMessage(kickoffMessage());
        boolean reprompted = false;
        for (int turn = 1; turn <= config.maxTurns(); turn++) {
            if (stopped || sink.sinkClosed()) {
                return RunOutcome.failed("Run stopped", "stopped");
            }
            long t0 = millis.getAsLong();
            currentTurn = turn;
            ModelTurn answer;
            try {
                answer = model.complete(config.prompt(), history, specs);
            } catch (ModelRequestException e) {
                String message = redactor.scrub(e.getMessage());
                emit(TranscriptEvents.TURN, transcript.turn(turn, t0, millis.getAsLong() - t0, null, message));
                ObjectNode data = Json.object();
                if (e.status() > 0) {
                    data.put("status", e.status());
                }
                error(message, data);
                return RunOutcome.failed(message, "model_request_failed");
            }
            long latency = millis.getAsLong() - t0;
            recordTurn(turn, answer, latency);
            emit(TranscriptEvents.TURN, transcript.turn(turn, t0, latency, answer, null));
            history.add(new Message.Assistant(answer.text(), answer.toolCalls()));
            transcript.assistantMessage(answer);

            if (answer.toolCalls().isEmpty()) {
                if (config.outputSchema() != null && output() == null) {
                    if (!reprompted) {
                        reprompted = true;
                        progress("warn", "Agent finished without calling `output` — re-prompting once before the run is failed",
                                Json.object().put("event", "output_reprompt"));
                        history.add(new Message.User(OUTPUT_REPROMPT));
                        transcript.userMessage(OUTPUT_REPROMPT);
                        continue;
                    }
                    error(OUTPUT_MISSING, null);
                    return RunOutcome.failed(OUTPUT_MISSING, "output_missing");
                }
                return RunOutcome.success();
            }

            outputThisTurn = false;
            List<Message.Result> results = new ArrayList<>();
            for (ToolCall call : answer.toolCalls()) {
                results.add(runTool(call));
            }
            history.add(new Message.ToolResults(results));
            if (outputThisTurn) {
                return RunOutcome.success();
            }
        }
        String message = "Agent reached the maximum of " + config.maxTurns() + " turns without finishing";
        error(message, null);
        return RunOutcome.failed(message, "max_turns");
    }

    private String kickoffMessage() {
        if (config.input() == null || config.input().isEmpty()) {
            return KICKOFF;
        }
        return KICKOFF + "\n\nInput (JSON):\n" + Json.writePretty(config.input());
    }

    private void recordTurn(int index, ModelTurn answer, long latencyMs) {
        TokenUsage u = answer.usage();
        TokenUsage total;
        synchronized (this) {
            usage = usage.plus(u);
            total = usage;
        }
        emit("appstrate.metric", metric(total));
        ObjectNode data = Json.object().put("event", "turn").put("index", index).put("latencyMs", latencyMs)
                .put("inputTokens", u.input()).put("outputTokens", u.output()).put("contextTokens", u.contextTokens())
                .put("contextWindow", config.modelContextWindow()).put("cacheReadTokens", u.cacheRead())
                .put("cacheWriteTokens", u.cacheWrite());
        progress("debug", "Turn " + index + " — " + u.contextTokens() + " context tokens, " + u.output() + " generated", data);
        if (answer.text() != null && !answer.text().isBlank()) {
            progress("info", Json.truncate(redactor.scrub(answer.text().strip()), EVENT_TEXT_LIMIT),
                    Json.object().put("event", "assistant_message"));
        }
    }

    private Message.Result runTool(ToolCall call) throws InterruptedException {
        progress("debug", "Tool: " + call.name(), Json.object().put("tool", call.name())
                .<ObjectNode>set("args", summarizeArgs(call.arguments())).put("toolCallId", call.id()));
        long t0 = millis.getAsLong();
        ToolOutcome outcome = toolbox.execute(call);
        long durationMs = millis.getAsLong() - t0;
        emit(TranscriptEvents.TOOL_RESULT, transcript.toolResult(currentTurn, call, outcome, durationMs));
        transcript.toolMessage(call);
        String text = redactor.scrub(outcome.text());
        ObjectNode data = Json.object().put("tool", call.name());
        data.putObject("result").putArray("content").addObject().put("type", "text")
                .put("text", Json.truncate(text, EVENT_TEXT_LIMIT));
        data.put("isError", outcome.isError()).put("durationMs", durationMs).put("toolCallId", call.id());
        progress("debug", (outcome.isError() ? "Tool error: " : "Tool result: ") + call.name(), data);
        return new Message.Result(call.id(), call.name(), text, outcome.isError());
    }

    @Override
    public void logWritten(String level, String message) {
        String clean = redactor.scrub(message);
        if (!"debug".equals(level)) {
            // the original's RunResult.logs carries info|warn|error only
            synchronized (this) {
                logs.addObject().put("level", level).put("message", clean).put("timestamp", millis.getAsLong());
            }
        }
        emit("log.written", Json.object().put("level", level).put("message", clean));
    }

    @Override
    public void outputEmitted(JsonNode data) {
        synchronized (this) {
            output = Json.mergePatch(output, data);
        }
        outputThisTurn = true;
        emit("output.emitted", Json.object().set("data", data));
    }

    /** Emits {@code appstrate.error} for the runner's own failures (timeout, crash), even after {@link #stop}. */
    public void emitError(String message, ObjectNode data) {
        sink.emit("appstrate.error", errorData(message, data));
    }

    private void error(String message, ObjectNode data) {
        emit("appstrate.error", errorData(message, data));
    }

    private ObjectNode errorData(String message, ObjectNode data) {
        ObjectNode d = Json.object().put("message", redactor.scrub(message));
        if (data != null && !data.isEmpty()) {
            d.set("data", data);
        }
        return d;
    }

    private void progress(String level, String message, ObjectNode data) {
        ObjectNode d = Json.object().put("message", message).put("level", level);
        d.set("data", data);
        emit("appstrate.progress", d);
    }

    private void emit(String type, JsonNode data) {
        if (!stopped) {
            sink.emit(type, data);
        }
    }

    private ObjectNode metric(TokenUsage total) {
        ObjectNode m = Json.object();
        m.set("usage", total.toJson());
        if (config.modelCost() != null) {
            m.put("cost", config.modelCost().cost(total));
        }
        m.put("durationMs", millis.getAsLong() - startMillis);
        return m;
    }

    public synchronized JsonNode output() {
        return output;
    }

    public synchronized TokenUsage usage() {
        return usage;
    }

    /**
     * The finalize body, the original's {@code RunResult}: {@code status, output, memories, logs, usage,
     * cost?, durationMs, error?{code,message}}.
     */
    public synchronized ObjectNode runResult(RunOutcome outcome, long durationMs) {
        ObjectNode r = resultBody(outcome, durationMs, redactor);
        r.set("output", output == null ? null : output.deepCopy());
        r.set("logs", logs.deepCopy());
        r.set("usage", usage.toJson());
        if (config.modelCost() != null) {
            r.put("cost", config.modelCost().cost(usage));
        }
        return r;
    }

    /** The RunResult skeleton: status, null output, empty memories/logs, durationMs and error if any. */
    static ObjectNode resultBody(RunOutcome outcome, long durationMs, Redactor redactor) {
        ObjectNode r = Json.object();
        r.put("status", outcome.status());
        r.putNull("output");
        r.putArray("memories");
        r.putArray("logs");
        r.put("durationMs", durationMs);
        if (outcome.message() != null) {
            ObjectNode err = r.putObject("error");
            if (outcome.errorCode() != null) {
                err.put("code", outcome.errorCode());
            }
            err.put("message", redactor.scrub(outcome.message()));
        }
        return r;
    }

    /** Tool arguments for the progress event: parsed JSON with long strings shortened. */
    private JsonNode summarizeArgs(String raw) {
        try {
            return shorten(Toolbox.parseArguments(raw));
        } catch (IllegalArgumentException e) {
            return Json.object().put("raw", Json.truncate(redactor.scrub(raw), EVENT_ARG_LIMIT));
        }
    }

    private JsonNode shorten(JsonNode n) {
        if (n.isTextual()) {
            return new TextNode(Json.truncate(redactor.scrub(n.asText()), EVENT_ARG_LIMIT));
        }
        if (n.isObject()) {
            ObjectNode o = Json.object();
            for (Map.Entry<String, JsonNode> f : n.properties()) {
                o.set(f.getKey(), shorten(f.getValue()));
            }
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = Json.array();
            n.forEach(e -> a.add(shorten(e)));
            return a;
        }
        return n;
    }
}
