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

/** OpenAI chat-completions (and compatible servers), plain JSON or SSE streaming. */
final class OpenAiChatClient implements ModelClient {
    private final ModelHttp http;
    private final ModelSettings settings;

    OpenAiChatClient(ModelHttp http, ModelSettings settings) {
        this.http = http;
        this.settings = settings;
    }

    @Override
    public ModelTurn complete(String system, List<Message> history, List<ToolSpec> tools)
            throws ModelRequestException, InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (settings.apiKey() != null) {
            headers.put("Authorization", "Bearer " + settings.apiKey());
        }
        headers.put("Accept", settings.stream() ? "text/event-stream" : "application/json");
        String body = Json.write(requestBody(system, history, tools));
        return http.post(settings.endpoint(), headers, body,
                settings.stream() ? OpenAiChatClient::parseStream : OpenAiChatClient::parseJson);
    }

    ObjectNode requestBody(String system, List<Message> history, List<ToolSpec> tools) {
        ObjectNode req = Json.object();
        req.put("model", settings.modelId());
        ArrayNode messages = req.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        for (Message m : history) {
            if (m instanceof Message.User u) {
                messages.addObject().put("role", "user").put("content", u.text());
            } else if (m instanceof Message.Assistant a) {
                ObjectNode msg = messages.addObject().put("role", "assistant");
                if (a.text() == null || a.text().isEmpty()) {
                    msg.putNull("content");
                } else {
                    msg.put("content", a.text());
                }
                if (!a.toolCalls().isEmpty()) {
                    ArrayNode calls = msg.putArray("tool_calls");
                    for (ToolCall c : a.toolCalls()) {
                        ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
                        call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
                    }
                }
            } else if (m instanceof Message.ToolResults r) {
                for (Message.Result res : r.results()) {
                    messages.addObject().put("role", "tool").put("tool_call_id", res.toolCallId())
                            .put("content", res.text());
                }
            }
        }
        if (!tools.isEmpty()) {
            ArrayNode ts = req.putArray("tools");
            for (ToolSpec t : tools) {
                ObjectNode fn = ts.addObject().put("type", "function").putObject("function");
                fn.put("name", t.name()).put("description", t.description()).set("parameters", t.parameters());
            }
        }
        if (settings.maxTokens() != null) {
            req.put("max_tokens", settings.maxTokens());
        }
        if (settings.temperature() != null) {
            req.put("temperature", settings.temperature());
        }
        if (settings.stream()) {
            req.put("stream", true);
            req.putObject("stream_options").put("include_usage", true);
        }
        return req;
    }

    static ModelTurn parseJson(InputStream in) throws IOException {
        JsonNode root = Json.parse(in);
        checkError(root);
        JsonNode choice = root.path("choices").path(0);
        if (choice.isMissingNode()) {
            throw new BadModelResponse("no choices in response");
        }
        JsonNode msg = choice.path("message");
        List<ToolCall> calls = new ArrayList<>();
        int i = 0;
        for (JsonNode c : msg.path("tool_calls")) {
            JsonNode fn = c.path("function");
            JsonNode args = fn.path("arguments");
            calls.add(new ToolCall(text(c, "id", "call_" + i), fn.path("name").asText(""),
                    args.isTextual() ? args.asText() : args.isMissingNode() || args.isNull() ? "{}" : Json.write(args)));
            i++;
        }
        return new ModelTurn(msg.path("content").isTextual() ? msg.path("content").asText() : "", calls,
                usage(root.path("usage")), choice.path("finish_reason").asText(null));
    }

    static ModelTurn parseStream(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        Map<Integer, String[]> calls = new TreeMap<>(); // index -> {id, name, args}
        Map<Integer, StringBuilder> args = new TreeMap<>();
        String[] finish = {null};
        TokenUsage[] usage = {TokenUsage.ZERO};
        boolean[] done = {false};
        SseReader.read(in, (event, data) -> {
            if (data.strip().equals("[DONE]")) {
                done[0] = true;
                return false;
            }
            JsonNode chunk = SseReader.json(data);
            checkError(chunk);
            if (chunk.hasNonNull("usage")) {
                usage[0] = usage(chunk.get("usage"));
            }
            for (JsonNode choice : chunk.path("choices")) {
                JsonNode delta = choice.path("delta");
                if (delta.path("content").isTextual()) {
                    text.append(delta.get("content").asText());
                }
                for (JsonNode tc : delta.path("tool_calls")) {
                    int idx = tc.path("index").asInt(calls.size());
                    String[] c = calls.computeIfAbsent(idx, k -> new String[]{null, "", ""});
                    if (tc.hasNonNull("id")) {
                        c[0] = tc.get("id").asText();
                    }
                    JsonNode fn = tc.path("function");
                    if (fn.hasNonNull("name")) {
                        c[1] = c[1] + fn.get("name").asText();
                    }
                    if (fn.hasNonNull("arguments")) {
                        args.computeIfAbsent(idx, k -> new StringBuilder()).append(fn.get("arguments").asText());
                    }
                }
                if (choice.hasNonNull("finish_reason")) {
                    finish[0] = choice.get("finish_reason").asText();
                }
            }
            return true;
        });
        if (!done[0] && finish[0] == null) {
            throw new IOException("stream ended before [DONE]");
        }
        List<ToolCall> out = new ArrayList<>();
        for (Map.Entry<Integer, String[]> e : calls.entrySet()) {
            String[] c = e.getValue();
            StringBuilder a = args.get(e.getKey());
            out.add(new ToolCall(c[0] != null ? c[0] : "call_" + e.getKey(), c[1],
                    a == null || a.length() == 0 ? "{}" : a.toString()));
        }
        return new ModelTurn(text.toString(), out, usage[0], finish[0]);
    }

    private static void checkError(JsonNode root) {
        JsonNode err = root.get("error");
        if (err != null && !err.isNull()) {
            throw new BadModelResponse(err.isObject() ? err.path("message").asText(Json.write(err)) : err.asText());
        }
    }

    private static TokenUsage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return TokenUsage.ZERO;
        }
        long prompt = u.path("prompt_tokens").asLong(0);
        long cached = u.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        return new TokenUsage(Math.max(0, prompt - cached), u.path("completion_tokens").asLong(0), cached, 0);
    }

    private static String text(JsonNode n, String field, String dflt) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? dflt : v.asText();
    }
}
