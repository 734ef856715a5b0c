package dev.appstrate.server.transcript;

import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.packages.SchemaValidator;
import dev.appstrate.server.testing.InlineAgents;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run inspector's transcript of a real run (real runner subprocess, scripted model): every turn and tool call, masked. */
class RunTranscriptTest {
    /** A connection credential: the server's redactor learns it when it is stored; the runner never knows it. */
    private static final String PLANTED = "crm_live_planted_5b9e0c7a1d";
    private static final String MASK = "[REDACTED]";

    @TempDir
    Path dataDir;

    @Test
    void aRunWithTwoToolCallsShowsEachCallsArgumentsAndResultAndTheRenderedPromptWithTheSecretMasked() {
        String bash = "echo planted " + PLANTED + "; head -c 20000 /dev/zero | tr '\\0' x; echo; echo careful >&2";
        try (ScriptedModelServer model = ScriptedModelServer.builder()
                .turn(new Turn("Let me look.", List.of(ScriptedModelServer.call("bash", Map.of("command", bash)),
                        ScriptedModelServer.call("write", Map.of("path", "notes/hello.txt", "content", "Hello Ada"))), 30, 11))
                .turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("greeting", "Hello Ada"))), 80, 9))
                .start();
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            plantSecret(s);
            JsonNode input = Json.object().put("name", "Ada").put("token", PLANTED);
            String runId = InlineAgents.start(s, InlineAgents.body(InlineAgents.manifest(), InlineAgents.PROMPT, input)).get("id").asText();
            assertEquals("success", awaitTerminal(s, runId).get("status").asText());

            HttpResponse<String> run = s.get("/api/runs/" + runId);
            assertFalse(run.body().contains(PLANTED), "the run's input must mask a stored secret as the transcript does");
            assertEquals(MASK, TestServer.json(run).at("/input/token").asText());

            HttpResponse<String> r = s.get("/api/runs/" + runId + "/transcript");
            assertEquals(200, r.statusCode(), r.body());
            int leak = r.body().indexOf(PLANTED);
            assertEquals(-1, leak, "the planted secret came out unmasked: …" + (leak < 0 ? "" : r.body().substring(Math.max(0, leak - 200), leak)));
            JsonNode t = TestServer.json(r);
            assertMatchesOurDocument(s, t);
            assertEquals(runId, t.get("runId").asText());
            assertEquals("success", t.get("status").asText());
            assertEquals("scripted-model", t.at("/model/id").asText());
            assertEquals("openai", t.at("/model/provider").asText());
            assertNotNull(t.at("/model/label").textValue());
            assertEquals("Ada", t.at("/input/name").asText());

            // the system prompt as sent: the folder's prompt, rendered with the input (the secret in it masked) and the output contract
            String system = t.get("systemPrompt").asText();
            assertTrue(system.startsWith(InlineAgents.PROMPT), system);
            assertTrue(system.contains("\"name\": \"Ada\"") || system.contains("\"name\":\"Ada\""), system);
            assertTrue(system.contains(MASK) && system.contains("greeting"), system);
            List<String> tools = new ArrayList<>();
            t.get("tools").forEach(x -> tools.add(x.get("name").asText()));
            assertTrue(tools.containsAll(List.of("bash", "read", "write", "edit", "output")), tools.toString());
            assertTrue(t.at("/tools/0/parameters/properties").isObject() && !t.at("/tools/0/description").asText().isEmpty());

            JsonNode turns = t.get("turns");
            assertEquals(2, turns.size(), turns.toString());
            JsonNode first = turns.get(0);
            assertEquals(1, first.get("index").asInt());
            assertTrue(first.get("latencyMs").asLong() >= 0 && first.get("startedAt").asText().endsWith("Z"));
            assertEquals(List.of("user"), roles(first));
            assertTrue(first.at("/request/messages/0/content").asText().contains("Ada"));
            assertEquals("Let me look.", first.at("/response/text").asText());
            assertEquals("tool_calls", first.at("/response/stopReason").asText());
            assertEquals(30, first.at("/usage/inputTokens").asInt());
            assertEquals(11, first.at("/usage/outputTokens").asInt());
            assertTrue(first.at("/usage").has("costUsd"));

            JsonNode bashCall = first.at("/toolCalls/0");
            assertEquals("bash", bashCall.get("name").asText());
            assertEquals(bash.replace(PLANTED, MASK), bashCall.at("/arguments/command").asText());
            JsonNode bashResult = bashCall.get("result");
            assertTrue(bashResult.get("stdout").asText().startsWith("planted " + MASK + "\nxxxx"), bashResult.toString());
            assertEquals("careful", bashResult.get("stderr").asText());
            assertEquals(0, bashResult.get("exitCode").asInt());
            assertFalse(bashResult.get("isError").asBoolean());
            assertTrue(bashResult.get("truncated").asBoolean(), "20 kB of output is cut in the transcript");
            assertEquals(t.get("truncatedAt").asInt(), bashResult.get("text").asText().length());
            assertTrue(bashResult.get("bytes").asInt() > 20_000);
            assertTrue(bashCall.get("durationMs").asLong() >= 0);

            JsonNode writeCall = first.at("/toolCalls/1");
            assertEquals("write", writeCall.get("name").asText());
            assertEquals("notes/hello.txt", writeCall.at("/arguments/path").asText());
            assertEquals("Hello Ada", writeCall.at("/arguments/content").asText());
            assertEquals("notes/hello.txt", writeCall.at("/result/paths/0").asText(), writeCall.toString());
            assertTrue(writeCall.at("/result/exitCode").isNull());

            // the second request as sent: the kickoff, the first answer with its calls, and both results
            JsonNode second = turns.get(1);
            assertEquals(List.of("user", "assistant", "tool", "tool"), roles(second));
            assertEquals(bashCall.get("id").asText(), second.at("/request/messages/2/toolCallId").asText());
            assertTrue(second.at("/request/messages/2/content").asText().startsWith("planted " + MASK));
            assertEquals(t.get("truncatedAt").asInt(), second.at("/request/messages/2/content").asText().length());
            assertTrue(second.at("/request/messages/3/content").asText().contains("notes/hello.txt"));
            assertEquals("output", second.at("/toolCalls/0/name").asText());
            assertEquals("Hello Ada", second.at("/toolCalls/0/arguments/data/greeting").asText());
            assertEquals(80, second.at("/usage/inputTokens").asInt());

            assertEquals("Hello Ada", t.at("/output/value/greeting").asText());
            assertTrue(t.at("/output/valid").asBoolean());
            assertEquals(0, t.at("/output/errors").size());

            // the whole result from the tool-call route, masked too
            HttpResponse<String> whole = s.get("/api/runs/" + runId + "/transcript/tool-calls/" + bashCall.get("id").asText());
            assertEquals(200, whole.statusCode(), whole.body());
            assertTrue(whole.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertTrue(whole.body().startsWith("planted " + MASK) && whole.body().contains("x".repeat(20_000))
                    && whole.body().endsWith("careful"), whole.body().substring(0, 40));
            assertEquals(404, s.get("/api/runs/" + runId + "/transcript/tool-calls/call_nope").statusCode());

            // the live log went through the same redactor
            HttpResponse<String> logs = s.get("/api/runs/" + runId + "/logs");
            assertTrue(logs.body().contains("Tool: bash"));
            assertFalse(logs.body().contains(PLANTED), "the secret is in the live log");
            // scoped like GET /api/runs/{id}: another application does not see it
            String other = TestServer.json(s.post("/api/applications", "{\"name\":\"Other\"}")).get("id").asText();
            assertEquals(404, s.send("GET", "/api/runs/" + runId + "/transcript", null, "X-App-Id", other).statusCode());
            assertEquals(404, s.send("GET", "/api/runs/" + runId + "/transcript/tool-calls/" + bashCall.get("id").asText(), null,
                    "X-App-Id", other).statusCode());
        }
    }

    @Test
    void aRunWithoutTranscriptEventsAnswersAnEmptyTranscript() {
        // a run that fails before its runner says anything (no model reachable) has no transcript: 200 with empty turns
        try (TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", ScriptedModelServer.unreachableBaseUrl());
            String runId = InlineAgents.start(s, InlineAgents.body(InlineAgents.manifest(), InlineAgents.PROMPT,
                    InlineAgents.input("Ada"))).get("id").asText();
            s.post("/api/runs/" + runId + "/cancel", null);
            JsonNode t = TestServer.json(s.get("/api/runs/" + runId + "/transcript"));
            assertMatchesOurDocument(s, t);
            assertEquals(runId, t.get("runId").asText());
            assertTrue(t.get("turns").isArray());
            for (String key : List.of("model", "input", "systemPrompt", "tools", "turns", "output", "truncatedAt", "status")) {
                assertTrue(t.has(key), key + " is absent: " + t);
            }
            assertEquals(404, s.get("/api/runs/run_missing/transcript").statusCode());
        }
    }

    /** The body validates against the RunTranscript schema our own /api/openapi.json declares for the route. */
    private static void assertMatchesOurDocument(TestServer s, JsonNode body) {
        String id = "https://appstrate-desktop.invalid/openapi.json";
        JsonNode doc = TestServer.json(s.get("/api/openapi.json"));
        assertEquals("#/components/schemas/RunTranscript",
                doc.at("/paths/~1api~1runs~1{id}~1transcript/get/responses/200/content/application~1json/schema/$ref").asText());
        SchemaValidator v = new SchemaValidator(Map.of(id, doc.toString()));
        List<SchemaValidator.SchemaError> errors = v.validate(Json.object().put("$ref", id + "#/components/schemas/RunTranscript"), body);
        assertTrue(errors.isEmpty(), errors.toString());
        // the check can fail
        assertFalse(v.validate(Json.object().put("$ref", id + "#/components/schemas/RunTranscript"), Json.object()).isEmpty());
    }

    private static List<String> roles(JsonNode turn) {
        List<String> out = new ArrayList<>();
        turn.at("/request/messages").forEach(m -> out.add(m.get("role").asText()));
        return out;
    }

    private static void plantSecret(TestServer s) {
        String integration = "{\"manifest\":{\"name\":\"@acme/crm\",\"version\":\"1.0.0\",\"type\":\"integration\","
                + "\"display_name\":\"CRM\",\"auths\":{\"primary\":{\"type\":\"api_key\",\"authorized_uris\":[\"https://crm.invalid/**\"],"
                + "\"delivery\":{\"http\":{\"in\":\"header\",\"name\":\"Authorization\",\"prefix\":\"Bearer \",\"value\":\"{$credential.api_key}\"}}}}}}";
        assertEquals(201, s.post("/api/integrations", integration).statusCode());
        HttpResponse<String> c = s.post("/api/integrations/@acme/crm/auths/primary/connect/fields",
                "{\"credentials\":{\"api_key\":\"" + PLANTED + "\"}}");
        assertEquals(200, c.statusCode(), c.body());
    }
}
