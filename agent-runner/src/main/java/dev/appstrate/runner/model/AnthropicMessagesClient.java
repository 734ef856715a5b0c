package dev.appstrate.runner.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.runner.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Anthropic messages API, plain JSON or SSE streaming. */
final class AnthropicMessagesClient implements ModelClient {
    static final String API_VERSION = "2023-06-01";
    /** Anthropic requires max_tokens; the original's env contract defaults MODEL_MAX_TOKENS to this. */
    static final int DEFAULT_MAX_TOKENS = 16_384;
    private final ModelHttp http;
    private final ModelSettings settings;

    AnthropicMessagesClient(ModelHttp http, ModelSettings settings) {
        this.http = http;
        this.settings = settings;
    }

    @Override
    public ModelTurn complete(String system, List<Message> history, List<ToolSpec> tools)
            throws ModelRequestException, InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (settings.apiKey() != null) {
            headers.put("x-api-key", settings.apiKey());
        }
        headers.put("anthropic-version", API_VERSION);
        headers.put("Accept", settings.stream() ? "text/event-stream" : "application/json");
        String body = Json.write(requestBody(system, history, tools));
        return http.post(settings.endpoint(), headers, body,
                settings.stream() ? AnthropicMessagesClient::parseStream : AnthropicMessagesClient::parseJson);
    }

    ObjectNode requestBody(String system, List<Message> history, List<ToolSpec> tools) {
        ObjectNode req = Json.object();
        req.put("model", settings.modelId());
        req.put("max_tokens", settings.maxTokens() != null ? settings.maxTokens() : DEFAULT_MAX_TOKENS);
        req.put("system", system);
        ArrayNode messages = req.putArray("messages");
        for (Message m : history) {
            if (m instanceof Message.User u) {
                append(messages, "user", Json.array().add(Json.object().put("type", "text").put("text", u.text())));
            } else if (m instanceof Message.Assistant a) {
                ArrayNode content = Json.array();
                if (a.text() != null && !a.text().isEmpty()) {
                    content.addObject().put("type", "text").put("text", a.text());
                }
                for (ToolCall c : a.toolCalls()) {
                    JsonNode input;
                    try {
                        input = Json.parse(c.arguments());
                    } catch (IllegalArgumentException e) {
                        input = Json.object();
                    }
                    content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name())
                            .set("input", input.isObject() ? input : Json.object());
                }
                if (content.isEmpty()) {
                    content.addObject().put("type", "text").put("text", "(no answer)");
                }
                append(messages, "assistant", content);
            } else if (m instanceof Message.ToolResults r) {
                ArrayNode content = Json.array();
                for (Message.Result res : r.results()) {
                    content.addObject().put("type", "tool_result").put("tool_use_id", res.toolCallId())
                            .put("content", res.text()).put("is_error", res.isError());
                }
                append(messages, "user", content);
            }
        }
        if (!tools.isEmpty()) {
            ArrayNode ts = req.putArray("tools");
            for (ToolSpec t : tools) {
                ts.addObject().put("name", t.name()).put("description", t.description())
                        .set("input_schema", t.parameters());
            }
        }
        if (settings.temperature() != null) {
            req.put("temperature", settings.temperature());
        }
        if (settings.stream()) {
            req.put("stream", true);
        }
        return req;
    }

    /** The API wants strictly alternating roles: merge into the previous message when the role repeats. */
    private static void append(ArrayNode messages, String role, ArrayNode content) {
        if (!messages.isEmpty()) {
            ObjectNode last = (ObjectNode) messages.get(messages.size() - 1);
            if (role.equals(last.path("role").asText())) {
                ((ArrayNode) last.get("content")).addAll(content);
                return;
            }
        }
        messages.addObject().put("role", role).set("content", content);
    }

    static ModelTurn parseJson(InputStream in) throws IOException {
        JsonNode root = Json.parse(in);
        if ("error".equals(root.path("type").asText())) {
            throw new BadModelResponse(root.path("error").path("message").asText(Json.write(root)));
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : root.path("content")) {
            String type = block.path("type").asText();
            if ("text".equals(type)) {
                text.append(block.path("text").asText());
            } else if ("tool_use".equals(type)) {
                JsonNode input = block.path("input");
                calls.add(new ToolCall(block.path("id").asText("toolu_" + calls.size()), block.path("name").asText(),
                        input.isMissingNode() || input.isNull() ? "{}" : Json.write(input)));
            }
        }
        return new ModelTurn(text.toString(), calls, usage(root.path("usage"), TokenUsage.ZERO),
                root.path("stop_reason").asText(null));
    }

    static ModelTurn parseStream(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        Map<Integer, String[]> toolBlocks = new TreeMap<>(); // index -> {id, name}
        Map<Integer, StringBuilder> toolInput = new TreeMap<>();
        TokenUsage[] usage = {TokenUsage.ZERO};
        String[] stop = {null};
        boolean[] ended = {false};
        SseReader.read(in, (event, data) -> {
            JsonNode ev = SseReader.json(data);
            String type = ev.path("type").asText(event == null ? "" : event);
            switch (type) {
                case "message_start":
                    usage[0] = usage(ev.path("message").path("usage"), TokenUsage.ZERO);
                    break;
                case "content_block_start": {
                    JsonNode block = ev.path("content_block");
                    int idx = ev.path("index").asInt();
                    if ("tool_use".equals(block.path("type").asText())) {
                        toolBlocks.put(idx, new String[]{block.path("id").asText("toolu_" + idx),
                                block.path("name").asText()});
                        JsonNode input = block.path("input");
                        if (input.isObject() && !input.isEmpty()) {
                            toolInput.put(idx, new StringBuilder(Json.write(input)));
                        }
                    } else if ("text".equals(block.path("type").asText())) {
                        text.append(block.path("text").asText(""));
                    }
                    break;
                }
                case "content_block_delta": {
                    JsonNode delta = ev.path("delta");
                    int idx = ev.path("index").asInt();
                    String dt = delta.path("type").asText();
                    if ("text_delta".equals(dt)) {
                        text.append(delta.path("text").asText());
                    } else if ("input_json_delta".equals(dt)) {
                        toolInput.computeIfAbsent(idx, k -> new StringBuilder())
                                .append(delta.path("partial_json").asText());
                    }
                    break;
                }
                case "message_delta":
                    if (ev.path("delta").hasNonNull("stop_reason")) {
                        stop[0] = ev.path("delta").get("stop_reason").asText();
                    }
                    usage[0] = usage(ev.path("usage"), usage[0]);
                    break;
                case "message_stop":
                    ended[0] = true;
                    return false;
                case "error":
                    // mid-stream errors (overloaded_error, api_error) are transient: retry the call
                    throw new IOException("stream error: " + ev.path("error").path("message").asText(data));
                default:
                    break;
            }
            return true;
        });
        if (!ended[0]) {
            throw new IOException("stream ended before message_stop");
        }
        List<ToolCall> calls = new ArrayList<>();
        for (Map.Entry<Integer, String[]> e : toolBlocks.entrySet()) {
            StringBuilder input = toolInput.get(e.getKey());
            calls.add(new ToolCall(e.getValue()[0], e.getValue()[1],
                    input == null || input.length() == 0 ? "{}" : input.toString()));
        }
        return new ModelTurn(text.toString(), calls, usage[0], stop[0]);
    }

    /** Reads usage counters, keeping {@code base}'s value for any counter the node omits. */
    private static TokenUsage usage(JsonNode u, TokenUsage base) {
        if (u == null || !u.isObject()) {
            return base;
        }
        return new TokenUsage(
                u.path("input_tokens").asLong(base.input()),
                u.path("output_tokens").asLong(base.output()),
                u.path("cache_read_input_tokens").asLong(base.cacheRead()),
                u.path("cache_creation_input_tokens").asLong(base.cacheWrite()));
    }
}
