package dev.appstrate.desktop.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.appstrate.desktop.client.DesktopJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Two runs side by side (input, output, status, error, model, tokens, cost, duration, turns) and the first
 * model turn where they went different ways, from {@code GET /api/runs/{id}} and their transcripts.
 * JSON stays JsonNode here: inputs, outputs and transcript payloads are free-form.
 */
public record RunComparison(List<Field> fields, List<JsonDiff.Change> inputDiff, List<JsonDiff.Change> outputDiff,
                            Optional<Divergence> divergence) {

    /** One compared property; {@code same} drives the highlighting. */
    public record Field(String name, String left, String right, boolean same) {
    }

    /** The first turn (1-based) that differs, what differs in it, and each side's version of it. */
    public record Divergence(int turn, String what, String left, String right) {
        public String describe() {
            return "Turn " + turn + ": " + what;
        }
    }

    public static RunComparison of(JsonNode runA, JsonNode runB, JsonNode transcriptA, JsonNode transcriptB) {
        List<Field> fields = new ArrayList<>();
        add(fields, "Run", text(runA, "id"), text(runB, "id"), false);
        add(fields, "Agent", agent(runA), agent(runB), true);
        add(fields, "Status", text(runA, "status"), text(runB, "status"), true);
        add(fields, "Error", error(runA), error(runB), true);
        add(fields, "Model", model(runA, transcriptA), model(runB, transcriptB), true);
        add(fields, "Tokens", tokens(runA), tokens(runB), true);
        add(fields, "Cost", cost(runA), cost(runB), true);
        add(fields, "Duration", duration(runA), duration(runB), true);
        add(fields, "Turns", String.valueOf(transcriptA.path("turns").size()), String.valueOf(transcriptB.path("turns").size()), true);
        return new RunComparison(fields, JsonDiff.diff(runA.path("input"), runB.path("input")),
                JsonDiff.diff(output(runA), output(runB)), divergence(transcriptA, transcriptB));
    }

    private static void add(List<Field> fields, String name, String a, String b, boolean compared) {
        fields.add(new Field(name, a, b, !compared || a.equals(b)));
    }

    public static JsonNode output(JsonNode run) {
        JsonNode r = run.path("result");
        if (r.isMissingNode() || r.isNull()) {
            return MissingNode.getInstance();
        }
        return r.has("output") ? r.get("output") : r;
    }

    /** Walks both transcripts turn by turn: the first request, response or tool call that differs. */
    public static Optional<Divergence> divergence(JsonNode a, JsonNode b) {
        String spA = text(a, "systemPrompt");
        String spB = text(b, "systemPrompt");
        JsonNode turnsA = a.path("turns");
        JsonNode turnsB = b.path("turns");
        if (!spA.equals(spB)) {
            return Optional.of(new Divergence(1, "system prompt", spA, spB));
        }
        if (!JsonDiff.same(a.path("tools"), b.path("tools"))) {
            return Optional.of(new Divergence(1, "tool definitions", a.path("tools").toString(), b.path("tools").toString()));
        }
        int n = Math.max(turnsA.size(), turnsB.size());
        for (int i = 0; i < n; i++) {
            JsonNode ta = turnsA.path(i);
            JsonNode tb = turnsB.path(i);
            int turn = i + 1;
            if (ta.isMissingNode() || tb.isMissingNode()) {
                return Optional.of(new Divergence(turn, ta.isMissingNode() ? "only the second run has this turn"
                        : "only the first run has this turn", summary(ta), summary(tb)));
            }
            if (!JsonDiff.same(withoutIds(ta.path("request").path("messages")), withoutIds(tb.path("request").path("messages")))) {
                return Optional.of(new Divergence(turn, "messages sent to the model",
                        DesktopJson.pretty(ta.path("request").path("messages")), DesktopJson.pretty(tb.path("request").path("messages"))));
            }
            String ra = text(ta.path("response"), "text");
            String rb = text(tb.path("response"), "text");
            if (!ra.equals(rb)) {
                return Optional.of(new Divergence(turn, "response text", ra, rb));
            }
            JsonNode ca = ta.path("toolCalls");
            JsonNode cb = tb.path("toolCalls");
            int calls = Math.max(ca.size(), cb.size());
            for (int c = 0; c < calls; c++) {
                JsonNode x = ca.path(c);
                JsonNode y = cb.path(c);
                if (!text(x, "name").equals(text(y, "name"))) {
                    return Optional.of(new Divergence(turn, "tool called", callSummary(x), callSummary(y)));
                }
                if (!JsonDiff.same(x.path("arguments"), y.path("arguments"))) {
                    return Optional.of(new Divergence(turn, "arguments of " + text(x, "name"), callSummary(x), callSummary(y)));
                }
                if (!JsonDiff.same(resultOf(x), resultOf(y))) {
                    return Optional.of(new Divergence(turn, "result of " + text(x, "name"),
                            text(x.path("result"), "text"), text(y.path("result"), "text")));
                }
            }
        }
        return Optional.empty();
    }

    /** Messages without tool-call ids, which every run draws anew. */
    static JsonNode withoutIds(JsonNode n) {
        JsonNode copy = n.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode n) {
        if (n instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            o.remove(List.of("id", "toolCallId", "tool_call_id", "callId"));
            o.forEach(RunComparison::strip);
        } else if (n.isArray()) {
            n.forEach(RunComparison::strip);
        }
    }

    /** What a tool returned, without what changes on every run (timings). */
    private static JsonNode resultOf(JsonNode call) {
        JsonNode r = call.path("result");
        if (!r.isObject()) {
            return r;
        }
        var copy = r.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(List.of("durationMs", "bytes"));
        return copy;
    }

    private static String summary(JsonNode turn) {
        if (turn.isMissingNode()) {
            return "(no such turn)";
        }
        StringBuilder sb = new StringBuilder(text(turn.path("response"), "text"));
        for (JsonNode c : turn.path("toolCalls")) {
            sb.append(sb.length() > 0 ? "\n" : "").append(callSummary(c));
        }
        return sb.toString();
    }

    private static String callSummary(JsonNode call) {
        return call.isMissingNode() ? "(no call)" : text(call, "name") + " " + call.path("arguments");
    }

    private static String text(JsonNode n, String f) {
        return DesktopJson.text(n, f);
    }

    private static String agent(JsonNode run) {
        String a = text(run, "agent_name");
        String scope = text(run, "agent_scope");
        if (!a.isEmpty()) {
            return scope.isEmpty() ? a : scope + "/" + a;
        }
        return text(run, "packageId");
    }

    private static String error(JsonNode run) {
        return run.path("error").isObject() ? run.path("error").path("message").asText("") : text(run, "error");
    }

    private static String model(JsonNode run, JsonNode transcript) {
        String label = text(run, "model_label");
        if (!label.isEmpty()) {
            return label;
        }
        JsonNode m = transcript.path("model");
        return text(m, "label").isEmpty() ? text(m, "id") : text(m, "label");
    }

    private static String tokens(JsonNode run) {
        JsonNode u = run.path("token_usage");
        if (!u.isObject()) {
            return "";
        }
        return u.path("input_tokens").asLong(0) + " in / " + u.path("output_tokens").asLong(0) + " out";
    }

    private static String cost(JsonNode run) {
        return run.path("cost").isNumber() ? String.format(Locale.ROOT, "$%.4f", run.path("cost").asDouble()) : "";
    }

    private static String duration(JsonNode run) {
        return run.path("duration").isNumber() ? run.path("duration").asLong() + " ms" : "";
    }
}
