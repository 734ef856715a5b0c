package dev.appstrate.server.transcript;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.packages.SchemaValidator;
import dev.appstrate.server.runs.RunRecord;
import dev.appstrate.server.logging.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run inspector's view of a run, from its stored transcript events: turns with the messages as sent
 * (tool results filled in from their own events), tool calls with arguments and results, usage, and the
 * output checked against the output schema. Long texts are cut at {@link #TRUNCATE_AT} characters; a
 * tool result's whole text is served by the tool-call route. Missing pieces are null or empty, never absent.
 */
public final class TranscriptAssembler {
    public static final int TRUNCATE_AT = 16384;
    private static final Pattern QUOTED = Pattern.compile("'([^']+)'");
    private final SchemaValidator schemas;

    public TranscriptAssembler(SchemaValidator schemas) {
        this.schemas = schemas;
    }

    public ObjectNode assemble(RunRecord run, List<TranscriptRepository.Entry> entries) {
        JsonNode start = Json.object();
        Map<String, JsonNode> results = new HashMap<>();
        for (TranscriptRepository.Entry e : entries) {
            if (e.kind().equals("start")) {
                start = e.data();
            } else if (e.kind().equals("tool_result")) {
                results.put(e.data().path("toolCallId").asText(), e.data());
            }
        }
        ObjectNode n = Json.object();
        n.put("runId", run.id());
        n.put("status", run.status());
        ObjectNode model = n.putObject("model");
        model.put("id", text(start.path("model").path("id")));
        model.put("label", run.setup().modelLabel());
        model.put("provider", text(start.path("model").path("provider")));
        n.set("input", run.setup().input() == null ? Json.MAPPER.nullNode() : Redactor.global().redact(run.setup().input()));
        n.put("systemPrompt", text(start.path("systemPrompt")));
        n.set("tools", start.path("tools").isArray() ? start.get("tools") : Json.MAPPER.createArrayNode());
        ArrayNode turns = n.putArray("turns");
        ArrayNode conversation = Json.MAPPER.createArrayNode();
        for (TranscriptRepository.Entry e : entries) {
            if (e.kind().equals("turn")) {
                turns.add(turn(e.data(), conversation, results));
            }
        }
        n.set("output", output(run.outcome().output(), start.path("outputSchema")));
        n.put("truncatedAt", TRUNCATE_AT);
        return n;
    }

    private ObjectNode turn(JsonNode t, ArrayNode conversation, Map<String, JsonNode> results) {
        for (JsonNode m : t.path("request").path("messages")) {
            conversation.add(message(m, results));
        }
        ObjectNode turn = Json.object();
        turn.put("index", t.path("index").asInt());
        turn.put("startedAt", text(t.path("startedAt")));
        turn.put("latencyMs", t.path("latencyMs").asLong());
        turn.putObject("request").set("messages", conversation.deepCopy());
        JsonNode response = t.path("response");
        if (response.isObject()) {
            turn.putObject("response").put("text", text(response.path("text"))).put("stopReason", text(response.path("stopReason")));
        } else {
            turn.putNull("response");
        }
        ArrayNode calls = turn.putArray("toolCalls");
        for (JsonNode c : t.path("toolCalls")) {
            ObjectNode call = calls.addObject();
            String id = c.path("id").asText();
            call.put("id", id);
            call.put("name", text(c.path("name")));
            call.set("arguments", c.has("arguments") ? c.get("arguments") : Json.object());
            JsonNode r = results.get(id);
            call.set("result", r == null ? Json.MAPPER.nullNode() : result(r));
            if (r == null) {
                call.putNull("durationMs");
            } else {
                call.put("durationMs", r.path("durationMs").asLong());
            }
        }
        JsonNode u = t.path("usage");
        if (u.isObject()) {
            ObjectNode usage = turn.putObject("usage");
            usage.put("inputTokens", u.path("inputTokens").asLong());
            usage.put("outputTokens", u.path("outputTokens").asLong());
            usage.put("cacheReadTokens", u.path("cacheReadTokens").asLong());
            usage.put("cacheWriteTokens", u.path("cacheWriteTokens").asLong());
            if (u.path("costUsd").isNumber()) {
                usage.put("costUsd", u.get("costUsd").asDouble());
            } else {
                usage.putNull("costUsd");
            }
        } else {
            turn.putNull("usage");
        }
        turn.put("error", text(t.path("error")));
        return turn;
    }

    /** A message as sent; a tool message carries its result's text, cut like every content. */
    private static ObjectNode message(JsonNode m, Map<String, JsonNode> results) {
        ObjectNode out = Json.object();
        String role = m.path("role").asText();
        out.put("role", role);
        if (role.equals("tool")) {
            String id = m.path("toolCallId").asText();
            JsonNode r = results.get(id);
            out.put("toolCallId", id);
            out.put("name", text(m.path("name")));
            out.put("content", cut(r == null ? null : r.path("text").asText(null)));
            out.put("isError", r != null && r.path("isError").asBoolean());
        } else {
            out.put("content", cut(text(m.path("content"))));
            if (m.has("toolCalls") && m.get("toolCalls").isArray() && !m.get("toolCalls").isEmpty()) {
                out.set("toolCalls", m.get("toolCalls"));
            }
        }
        return out;
    }

    private static ObjectNode result(JsonNode r) {
        String whole = r.path("text").asText("");
        JsonNode d = r.path("details");
        ObjectNode out = Json.object();
        out.put("text", cut(whole));
        out.put("stdout", cut(text(d.path("stdout"))));
        out.put("stderr", cut(text(d.path("stderr"))));
        if (d.path("exitCode").isNumber()) {
            out.put("exitCode", d.get("exitCode").asInt());
        } else {
            out.putNull("exitCode");
        }
        out.set("paths", d.path("paths").isArray() ? d.get("paths") : Json.MAPPER.createArrayNode());
        out.put("isError", r.path("isError").asBoolean());
        out.put("truncated", whole.length() > TRUNCATE_AT || length(d.path("stdout")) > TRUNCATE_AT
                || length(d.path("stderr")) > TRUNCATE_AT);
        out.put("bytes", whole.getBytes(StandardCharsets.UTF_8).length);
        return out;
    }

    /** The output and whether it matches the output schema, each error at the field (JSON pointer) it concerns. */
    ObjectNode output(JsonNode value, JsonNode schema) {
        ObjectNode out = Json.object();
        boolean present = value != null && !value.isNull() && !value.isMissingNode();
        out.set("value", present ? value : Json.MAPPER.nullNode());
        ArrayNode errors = Json.MAPPER.createArrayNode();
        if (schema.isObject() && !schema.isEmpty()) {
            if (!present) {
                errors.addObject().put("field", "").put("message", "The run produced no output; the output schema requires one");
            } else {
                for (SchemaValidator.SchemaError e : schemas.validate(schema, value)) {
                    String field = pointer(e.path());
                    if (e.keyword().equals("required")) {
                        Matcher q = QUOTED.matcher(e.message());
                        if (q.find()) {
                            field = field + "/" + q.group(1);
                        }
                    }
                    String message = e.message();
                    int colon = message.indexOf(": ");
                    if (colon > 0 && message.startsWith("$")) {
                        message = message.substring(colon + 2);
                    }
                    errors.addObject().put("field", field).put("message", message);
                }
            }
        }
        out.put("valid", errors.isEmpty());
        out.set("errors", errors);
        return out;
    }

    /** {@code $.a.b[0]} → {@code /a/b/0}. */
    static String pointer(String path) {
        String p = path.startsWith("$") ? path.substring(1) : path;
        return p.replaceAll("\\[(\\d+)]", ".$1").replace('.', '/');
    }

    private static int length(JsonNode n) {
        return n.isTextual() ? n.asText().length() : 0;
    }

    private static String cut(String s) {
        return s == null || s.length() <= TRUNCATE_AT ? s : s.substring(0, TRUNCATE_AT);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }
}
