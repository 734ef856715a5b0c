// Over 400 lines on purpose: the one stand-in model server, speaking three wire formats (OpenAI, Responses, Anthropic) plain and streamed.
package dev.appstrate.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted LLM provider on 127.0.0.1 (port 0) for tests. Speaks OpenAI chat completions
 * ({@code POST …/chat/completions}) and Anthropic messages ({@code POST …/messages}), plain JSON or SSE
 * when the request says {@code "stream": true}.
 *
 * <p>The answer to a request is the script turn whose index equals the number of assistant messages
 * already in the request's history, so the server is stateless per conversation and any number of
 * concurrent runs each walk the same script. Past the end of the script it answers {@code finalText}.
 *
 * <pre>{@code
 * try (ScriptedModelServer model = ScriptedModelServer.bashThenOutput("echo hi", Map.of("answer", 42))) {
 *     env.put("MODEL_API", "openai-completions");
 *     env.put("MODEL_BASE_URL", model.baseUrl());     // http://127.0.0.1:<port>/v1
 *     ...
 *     model.requests().get(0).header("authorization"); // "Bearer sk-placeholder"
 * }
 * }</pre>
 */
public final class ScriptedModelServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // com.sun.net.httpserver leaves Nagle on by default: with the client's delayed ACK every small
        // response then costs ~40 ms. Must be set before the first HttpServer of the JVM is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** One tool call in a scripted turn; {@code argumentsJson} is sent verbatim as the call's arguments. */
    public record ScriptedCall(String name, String argumentsJson) {
    }

    /** One scripted model answer: optional text, zero or more tool calls, usage numbers. */
    public record Turn(String text, List<ScriptedCall> toolCalls, int inputTokens, int outputTokens) {
        public static Turn text(String text) {
            return new Turn(text, List.of(), 12, 7);
        }

        public static Turn toolCall(String name, Object arguments) {
            return new Turn("", List.of(call(name, arguments)), 12, 7);
        }

        public static Turn toolCalls(ScriptedCall... calls) {
            return new Turn("", List.of(calls), 12, 7);
        }

        public Turn withUsage(int inputTokens, int outputTokens) {
            return new Turn(text, toolCalls, inputTokens, outputTokens);
        }

        public Turn withText(String newText) {
            return new Turn(newText, toolCalls, inputTokens, outputTokens);
        }
    }

    /** A request as received: lower-cased header names, raw body. */
    public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public boolean isAnthropic() {
            return path.endsWith("/messages");
        }

        public boolean isStreaming() {
            return json().path("stream").asBoolean(false);
        }
    }

    /** Builds a tool call; {@code arguments} is a JSON string, a {@link JsonNode} or anything Jackson can write. */
    public static ScriptedCall call(String name, Object arguments) {
        try {
            String args = arguments instanceof String s ? s
                    : JSON.writeValueAsString(arguments == null ? Map.of() : arguments);
            return new ScriptedCall(name, args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code output} arguments the way the original runtime expects them: {@code {"data": output}}. */
    public static ScriptedCall outputCall(Object output) {
        return call("output", Map.of("data", output));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Turn 1: {@code bash(command)}; turn 2: {@code output({data: output})}. */
    public static ScriptedModelServer bashThenOutput(String command, Map<String, ?> output) {
        return builder()
                .turn(Turn.toolCall("bash", Map.of("command", command)))
                .turn(new Turn("", List.of(outputCall(output)), 20, 9))
                .start();
    }

    /** One turn, no delay: {@code output({data: output})} — the cheapest possible successful run. */
    public static ScriptedModelServer instant(Map<String, ?> output) {
        return builder().turn(new Turn("", List.of(outputCall(output)), 12, 7)).start();
    }

    /** A base URL on a loopback port that nothing listens on (bound, then released). */
    public static String unreachableBaseUrl() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort() + "/v1";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final class Builder {
        private final List<Turn> script = new ArrayList<>();
        private Duration delay = Duration.ZERO;
        private int failTimes;
        private int failStatus = 500;
        private Integer retryAfterSeconds;
        private String finalText = "done";
        private boolean echoKey;

        public Builder turn(Turn turn) {
            script.add(turn);
            return this;
        }

        public Builder turns(Turn... turns) {
            script.addAll(List.of(turns));
            return this;
        }

        /** Wait this long before every answer (to make runs last). */
        public Builder delay(Duration d) {
            this.delay = d;
            return this;
        }

        /** No delay at all (the default). */
        public Builder instant() {
            this.delay = Duration.ZERO;
            return this;
        }

        /** Answer the first {@code times} requests with HTTP {@code status} (JSON error body). */
        public Builder failFirst(int times, int status) {
            this.failTimes = times;
            this.failStatus = status;
            return this;
        }

        /** Scripted failures quote the credential they were sent, as some providers' "incorrect API key" errors do. */
        public Builder echoKeyInFailures() {
            this.echoKey = true;
            return this;
        }

        /** Add {@code Retry-After: seconds} to the scripted failures. */
        public Builder retryAfterSeconds(int seconds) {
            this.retryAfterSeconds = seconds;
            return this;
        }

        /** Text answered once the script is exhausted (default {@code "done"}). */
        public Builder finalText(String text) {
            this.finalText = text;
            return this;
        }

        public ScriptedModelServer start() {
            return new ScriptedModelServer(this);
        }
    }

    private final List<Turn> script;
    private final Duration delay;
    private final int failTimes;
    private final int failStatus;
    private final Integer retryAfterSeconds;
    private final String finalText;
    private final boolean echoKey;
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger responseIds = new AtomicInteger();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> responseBodies = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor;

    private ScriptedModelServer(Builder b) {
        this.script = List.copyOf(b.script);
        this.delay = b.delay;
        this.failTimes = b.failTimes;
        this.failStatus = b.failStatus;
        this.retryAfterSeconds = b.retryAfterSeconds;
        this.finalText = b.finalText;
        this.echoKey = b.echoKey;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "scripted-model");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>/v1}: good for both shapes (OpenAI appends /chat/completions, Anthropic /messages). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** Every request received so far, in arrival order (failed ones included). */
    public List<RecordedRequest> requests() {
        return Collections.unmodifiableList(new ArrayList<>(requests));
    }

    /** The event streams sent for OpenAI Responses API calls ({@code /responses}), in order. */
    public List<String> responsesStreams() {
        return List.copyOf(responseBodies);
    }

    public int requestCount() {
        return requests.size();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            String path = ex.getRequestURI().getPath();
            if ("GET".equals(ex.getRequestMethod()) && path.endsWith("/models")) {
                // the model list a provider test reads; not a model call, so neither recorded nor counted
                send(ex, 200, "application/json", "{\"object\":\"list\",\"data\":[{\"id\":\"scripted-model\",\"object\":\"model\"},"
                        + "{\"id\":\"scripted-model-large\",\"object\":\"model\"}]}");
                return;
            }
            RecordedRequest req = new RecordedRequest(ex.getRequestMethod(), path, headers, body);
            requests.add(req);
            int n = received.incrementAndGet();

            boolean openAi = path.endsWith("/chat/completions");
            boolean anthropic = path.endsWith("/messages");
            boolean responses = path.endsWith("/responses");
            if (!"POST".equals(ex.getRequestMethod()) || !openAi && !anthropic && !responses) {
                send(ex, 404, "application/json", "{\"error\":{\"message\":\"no such endpoint\"}}");
                return;
            }
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            if (n <= failTimes) {
                if (retryAfterSeconds != null) {
                    ex.getResponseHeaders().add("Retry-After", retryAfterSeconds.toString());
                }
                String sent = req.header("authorization") != null ? req.header("authorization") : req.header("x-api-key");
                String message = echoKey ? "Incorrect API key provided: " + sent : "scripted failure " + n;
                send(ex, failStatus, "application/json",
                        "{\"error\":{\"type\":\"scripted_failure\",\"message\":\"" + message + "\"}}");
                return;
            }
            JsonNode json = req.json();
            int assistantTurns = 0;
            for (JsonNode m : json.path("messages")) {
                if ("assistant".equals(m.path("role").asText())) {
                    assistantTurns++;
                }
            }
            Turn turn = assistantTurns < script.size() ? script.get(assistantTurns) : Turn.text(finalText);
            String model = json.path("model").asText("scripted");
            int id = responseIds.incrementAndGet();
            boolean stream = json.path("stream").asBoolean(false);
            if (responses) {
                String events = responsesStream(turn, model, id);
                responseBodies.add(events);
                if (stream) {
                    send(ex, 200, "text/event-stream", events);
                } else {
                    send(ex, 200, "application/json", JSON.writeValueAsString(responsesJson(turn, model, id, "completed")));
                }
            } else if (openAi) {
                if (stream) {
                    streamOpenAi(ex, turn, model, id, json.path("stream_options").path("include_usage").asBoolean(false));
                } else {
                    send(ex, 200, "application/json", JSON.writeValueAsString(openAiJson(turn, model, id)));
                }
            } else if (stream) {
                streamAnthropic(ex, turn, model, id);
            } else {
                send(ex, 200, "application/json", JSON.writeValueAsString(anthropicJson(turn, model, id)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ObjectNode openAiJson(Turn turn, String model, int id) {
        ObjectNode root = JSON.createObjectNode().put("id", "chatcmpl-" + id).put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", model);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        ObjectNode msg = choice.putObject("message").put("role", "assistant");
        if (turn.text() == null || turn.text().isEmpty()) {
            msg.putNull("content");
        } else {
            msg.put("content", turn.text());
        }
        if (!turn.toolCalls().isEmpty()) {
            ArrayNode calls = msg.putArray("tool_calls");
            for (int i = 0; i < turn.toolCalls().size(); i++) {
                ScriptedCall c = turn.toolCalls().get(i);
                calls.addObject().put("id", "call_" + id + "_" + i).put("type", "function")
                        .putObject("function").put("name", c.name()).put("arguments", c.argumentsJson());
            }
        }
        choice.put("finish_reason", turn.toolCalls().isEmpty() ? "stop" : "tool_calls");
        root.set("usage", openAiUsage(turn));
        return root;
    }

    private static ObjectNode openAiUsage(Turn turn) {
        return JSON.createObjectNode().put("prompt_tokens", turn.inputTokens())
                .put("completion_tokens", turn.outputTokens()).put("total_tokens", turn.inputTokens() + turn.outputTokens());
    }

    private static void streamOpenAi(HttpExchange ex, Turn turn, String model, int id, boolean includeUsage)
            throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        ObjectNode first = chunk(id, model);
        first.putArray("choices").addObject().put("index", 0).putObject("delta").put("role", "assistant").put("content", "");
        sse(out, null, first);
        for (String part : halves(turn.text())) {
            ObjectNode c = chunk(id, model);
            c.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", part);
            sse(out, null, c);
        }
        for (int i = 0; i < turn.toolCalls().size(); i++) {
            ScriptedCall call = turn.toolCalls().get(i);
            ObjectNode start = chunk(id, model);
            ObjectNode tc = start.putArray("choices").addObject().put("index", 0).putObject("delta")
                    .putArray("tool_calls").addObject().put("index", i).put("id", "call_" + id + "_" + i)
                    .put("type", "function");
            tc.putObject("function").put("name", call.name()).put("arguments", "");
            sse(out, null, start);
            for (String part : halves(call.argumentsJson())) {
                ObjectNode c = chunk(id, model);
                c.putArray("choices").addObject().put("index", 0).putObject("delta").putArray("tool_calls")
                        .addObject().put("index", i).putObject("function").put("arguments", part);
                sse(out, null, c);
            }
        }
        ObjectNode last = chunk(id, model);
        last.putArray("choices").addObject().put("index", 0).<ObjectNode>set("delta", JSON.createObjectNode())
                .put("finish_reason", turn.toolCalls().isEmpty() ? "stop" : "tool_calls");
        sse(out, null, last);
        if (includeUsage) {
            ObjectNode u = chunk(id, model);
            u.putArray("choices");
            u.set("usage", openAiUsage(turn));
            sse(out, null, u);
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static ObjectNode chunk(int id, String model) {
        return JSON.createObjectNode().put("id", "chatcmpl-" + id).put("object", "chat.completion.chunk")
                .put("created", System.currentTimeMillis() / 1000).put("model", model);
    }

    private static ObjectNode anthropicJson(Turn turn, String model, int id) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("id", "msg_" + id).put("type", "message")
                .put("role", "assistant").put("model", model);
        ArrayNode content = root.putArray("content");
        if (turn.text() != null && !turn.text().isEmpty()) {
            content.addObject().put("type", "text").put("text", turn.text());
        }
        for (int i = 0; i < turn.toolCalls().size(); i++) {
            ScriptedCall c = turn.toolCalls().get(i);
            content.addObject().put("type", "tool_use").put("id", "toolu_" + id + "_" + i).put("name", c.name())
                    .set("input", JSON.readTree(c.argumentsJson()));
        }
        root.put("stop_reason", turn.toolCalls().isEmpty() ? "end_turn" : "tool_use");
        root.putNull("stop_sequence");
        root.putObject("usage").put("input_tokens", turn.inputTokens()).put("output_tokens", turn.outputTokens())
                .put("cache_read_input_tokens", 0).put("cache_creation_input_tokens", 0);
        return root;
    }

    /** An OpenAI Responses API object with the turn's text as one message item. */
    private static ObjectNode responsesJson(Turn turn, String model, int id, String status) {
        ObjectNode r = JSON.createObjectNode().put("id", "resp_" + id).put("object", "response").put("status", status)
                .put("model", model);
        ArrayNode output = r.putArray("output");
        if ("completed".equals(status)) {
            ObjectNode msg = output.addObject().put("type", "message").put("id", "msg_" + id).put("role", "assistant")
                    .put("status", "completed");
            msg.putArray("content").addObject().put("type", "output_text").put("text", turn.text()).putArray("annotations");
            r.putObject("usage").put("input_tokens", turn.inputTokens()).put("output_tokens", turn.outputTokens())
                    .put("total_tokens", turn.inputTokens() + turn.outputTokens());
        }
        return r;
    }

    /** The Responses API event stream: created, text deltas, done, completed (with usage). */
    private static String responsesStream(Turn turn, String model, int id) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        sse(out, "response.created", JSON.createObjectNode().put("type", "response.created")
                .set("response", responsesJson(turn, model, id, "in_progress")));
        for (String part : halves(turn.text())) {
            sse(out, "response.output_text.delta", JSON.createObjectNode().put("type", "response.output_text.delta")
                    .put("item_id", "msg_" + id).put("output_index", 0).put("content_index", 0).put("delta", part));
        }
        sse(out, "response.output_text.done", JSON.createObjectNode().put("type", "response.output_text.done")
                .put("item_id", "msg_" + id).put("output_index", 0).put("content_index", 0).put("text", turn.text()));
        sse(out, "response.completed", JSON.createObjectNode().put("type", "response.completed")
                .set("response", responsesJson(turn, model, id, "completed")));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void streamAnthropic(HttpExchange ex, Turn turn, String model, int id) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode msg = start.putObject("message").put("id", "msg_" + id).put("type", "message")
                .put("role", "assistant").put("model", model);
        msg.putArray("content");
        msg.putNull("stop_reason");
        msg.putObject("usage").put("input_tokens", turn.inputTokens()).put("output_tokens", 1)
                .put("cache_read_input_tokens", 0).put("cache_creation_input_tokens", 0);
        sse(out, "message_start", start);
        sse(out, "ping", JSON.createObjectNode().put("type", "ping"));
        int index = 0;
        if (turn.text() != null && !turn.text().isEmpty()) {
            ObjectNode s = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
            s.putObject("content_block").put("type", "text").put("text", "");
            sse(out, "content_block_start", s);
            for (String part : halves(turn.text())) {
                ObjectNode d = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
                d.putObject("delta").put("type", "text_delta").put("text", part);
                sse(out, "content_block_delta", d);
            }
            sse(out, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index));
            index++;
        }
        for (int i = 0; i < turn.toolCalls().size(); i++, index++) {
            ScriptedCall c = turn.toolCalls().get(i);
            ObjectNode s = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
            ObjectNode block = s.putObject("content_block").put("type", "tool_use").put("id", "toolu_" + id + "_" + i)
                    .put("name", c.name());
            block.putObject("input");
            sse(out, "content_block_start", s);
            for (String part : halves(c.argumentsJson())) {
                ObjectNode d = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
                d.putObject("delta").put("type", "input_json_delta").put("partial_json", part);
                sse(out, "content_block_delta", d);
            }
            sse(out, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index));
        }
        ObjectNode delta = JSON.createObjectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", turn.toolCalls().isEmpty() ? "end_turn" : "tool_use").putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", turn.outputTokens());
        sse(out, "message_delta", delta);
        sse(out, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
    }

    /** Splits text in two so clients must accumulate deltas; empty text yields nothing. */
    private static List<String> halves(String s) {
        if (s == null || s.isEmpty()) {
            return List.of();
        }
        if (s.length() < 2) {
            return List.of(s);
        }
        int mid = s.length() / 2;
        return List.of(s.substring(0, mid), s.substring(mid));
    }

    private static void sse(OutputStream out, String event, JsonNode data) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (event != null) {
            sb.append("event: ").append(event).append('\n');
        }
        sb.append("data: ").append(JSON.writeValueAsString(data)).append("\n\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
