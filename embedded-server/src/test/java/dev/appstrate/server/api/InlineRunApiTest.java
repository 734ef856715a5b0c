package dev.appstrate.server.api;

import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.packages.SchemaValidator;
import dev.appstrate.server.testing.InlineAgents;
import dev.appstrate.server.testing.MutableClock;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /api/runs/inline and /validate against the original's schemas and limits (INLINE_RUN_LIMITS). */
class InlineRunApiTest {
    private static ReferenceContract ref;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void loadReference() throws Exception {
        ref = ReferenceContract.load();
    }

    @Test
    void anInlineRunIsTheOriginalsRunMarkedInlineAndListedLikeOthers() {
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("greeting", "Hello Ada"));
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            HttpResponse<String> r = s.post("/api/runs/inline", InlineAgents.body(InlineAgents.manifest(), InlineAgents.PROMPT,
                    InlineAgents.input("Ada")));
            assertEquals(201, r.statusCode(), r.body());
            assertMatchesRun(TestServer.json(r), "POST", "/api/runs/inline", 201);
            JsonNode created = TestServer.json(r);
            assertTrue(created.get("packageId").asText().matches("@inline/r-[0-9a-f-]{36}"), created.toString());
            assertTrue(created.get("package_ephemeral").asBoolean());
            assertEquals("@inline", created.get("agent_scope").asText());
            assertEquals("Greeter", created.get("agent_name").asText());
            assertEquals(InlineAgents.PROMPT, created.get("inline_prompt").asText());
            assertEquals("@inline/greeter", created.at("/inline_manifest/name").asText());
            assertEquals("Ada", created.at("/input/name").asText());

            String runId = created.get("id").asText();
            JsonNode done = awaitTerminal(s, runId);
            assertEquals("success", done.get("status").asText(), done.toString());
            assertEquals("Hello Ada", done.at("/result/output/greeting").asText());
            // the prompt the model got is the inline prompt, rendered with the input
            String sent = model.requests().get(0).body();
            assertTrue(systemPrompt(model.requests().get(0).json()).startsWith("You greet people.") && sent.contains("Ada"), sent);

            // listed like other runs, marked inline; kind filters as in the original; no agent appears in the catalog
            JsonNode all = TestServer.json(s.get("/api/runs"));
            assertEquals(1, all.get("total").asInt(), all.toString());
            assertTrue(all.at("/data/0/package_ephemeral").asBoolean(), all.toString());
            assertEquals(1, TestServer.json(s.get("/api/runs?kind=inline")).get("total").asInt());
            assertEquals(0, TestServer.json(s.get("/api/runs?kind=package")).get("total").asInt());
            assertEquals(0, TestServer.json(s.get("/api/agents")).get("data").size(), "an inline shadow is not an agent");
            assertMatchesRun(TestServer.json(s.get("/api/runs/" + runId)), "GET", "/api/runs/{id}", 200);
        }
    }

    @Test
    void aBadManifestIs400WithFieldErrorsAtTheManifestFieldsAndNothingIsStored() {
        try (TestServer s = TestServer.start(dataDir)) {
            ObjectNode m = InlineAgents.manifest();
            m.remove("display_name");
            m.put("version", "one");
            m.put("timeout", -3);
            HttpResponse<String> r = s.post("/api/runs/inline", InlineAgents.body(m, InlineAgents.PROMPT, InlineAgents.input("Ada")));
            assertProblem(r, "POST", "/api/runs/inline", 400, "validation_failed");
            List<String> fields = fields(r);
            assertTrue(fields.containsAll(List.of("manifest.display_name", "manifest.version", "manifest.timeout")), fields.toString());

            // the body is closed: a field the original refuses is refused, not dropped
            ObjectNode body = (ObjectNode) Json.MAPPER.valueToTree(TestServer.json(s.post("/api/runs/inline/validate",
                    InlineAgents.body(InlineAgents.manifest(), InlineAgents.PROMPT, InlineAgents.input("Ada")))));
            assertEquals(true, body.get("valid").asBoolean());
            HttpResponse<String> extra = s.post("/api/runs/inline", "{\"manifest\":" + InlineAgents.manifest() + ",\"prompt\":\"x\","
                    + "\"dependency_overrides\":{}}");
            assertProblem(extra, "POST", "/api/runs/inline", 400, "validation_failed");
            assertEquals(List.of("dependency_overrides"), fields(extra));
            HttpResponse<String> noPrompt = s.post("/api/runs/inline", "{\"manifest\":" + InlineAgents.manifest() + "}");
            assertEquals(List.of("prompt"), fields(noPrompt));

            // an input that does not match the manifest's input schema points at the input field
            HttpResponse<String> badInput = s.post("/api/runs/inline", InlineAgents.body(InlineAgents.manifest(), InlineAgents.PROMPT,
                    Json.object().put("name", 7)));
            assertProblem(badInput, "POST", "/api/runs/inline", 400, "validation_failed");
            assertEquals(List.of("input.name"), fields(badInput));
            assertEquals(0, TestServer.json(s.get("/api/runs")).get("total").asInt(), "a refused inline run leaves nothing behind");
        }
    }

    @Test
    void overEachSizeLimitIs413AndTooManySkillsIs400() {
        try (TestServer s = TestServer.start(dataDir, Map.of("INLINE_RUN_LIMITS",
                "{\"manifest_bytes\":2000,\"prompt_bytes\":100,\"max_skills\":1}"))) {
            ObjectNode big = InlineAgents.manifest();
            big.put("description", "x".repeat(2000));
            for (String path : List.of("/api/runs/inline", "/api/runs/inline/validate")) {
                HttpResponse<String> m = s.post(path, InlineAgents.body(big, "Say hi.", InlineAgents.input("Ada")));
                assertProblem(m, "POST", "/api/runs/inline", 413, "payload_too_large");
                assertTrue(TestServer.json(m).get("detail").asText().contains("manifest_bytes"), m.body());
                HttpResponse<String> p = s.post(path, InlineAgents.body(InlineAgents.manifest(), "p".repeat(101), InlineAgents.input("Ada")));
                assertProblem(p, "POST", "/api/runs/inline", 413, "payload_too_large");
                assertTrue(TestServer.json(p).get("detail").asText().contains("prompt_bytes"), p.body());
            }
            // exactly at the limit passes
            assertEquals(200, s.post("/api/runs/inline/validate", InlineAgents.body(InlineAgents.manifest(), "p".repeat(100),
                    InlineAgents.input("Ada"))).statusCode());

            ObjectNode skills = InlineAgents.manifest();
            skills.with("dependencies").set("skills", Json.object().put("@acme/one", "^1.0.0").put("@acme/two", "^1.0.0"));
            HttpResponse<String> tooMany = s.post("/api/runs/inline/validate", InlineAgents.body(skills, "Say hi.", InlineAgents.input("Ada")));
            assertProblem(tooMany, "POST", "/api/runs/inline/validate", 400, "validation_failed");
            assertEquals(List.of("manifest.dependencies.skills"), fields(tooMany));
            ObjectNode unknown = InlineAgents.manifest();
            unknown.with("dependencies").set("skills", Json.object().put("@acme/missing", "^1.0.0"));
            HttpResponse<String> missing = s.post("/api/runs/inline", InlineAgents.body(unknown, "Say hi.", InlineAgents.input("Ada")));
            assertEquals(List.of("manifest.dependencies.skills.@acme/missing"), fields(missing));
            assertEquals(0, TestServer.json(s.get("/api/runs")).get("total").asInt());
        }
    }

    @Test
    void runAndValidateShareOneRateLimitAnd429CarriesTheHeaders() {
        // a manual clock keeps every call inside one fixed window
        MutableClock clock = new MutableClock(Instant.parse("2026-12-06T21:00:10Z"));
        try (TestServer s = TestServer.start(dataDir, Map.of("INLINE_RUN_LIMITS", "{\"rate_per_min\":3}"), clock)) {
            String ok = InlineAgents.body(InlineAgents.manifest(), "Say hi.", InlineAgents.input("Ada"));
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = s.post("/api/runs/inline/validate", ok);
                assertEquals(200, r.statusCode(), r.body());
                assertMatches("POST", "/api/runs/inline/validate", 200, r);
                assertEquals("limit=3, remaining=" + (2 - i) + ", reset=60", r.headers().firstValue("RateLimit").orElse(null));
                assertEquals("3;w=60", r.headers().firstValue("RateLimit-Policy").orElse(null));
            }
            HttpResponse<String> limited = s.post("/api/runs/inline", ok);
            assertProblem(limited, "POST", "/api/runs/inline", 429, "rate_limited");
            assertEquals("limit=3, remaining=0, reset=60", limited.headers().firstValue("RateLimit").orElse(null));
            assertEquals("3;w=60", limited.headers().firstValue("RateLimit-Policy").orElse(null));
            assertEquals("60", limited.headers().firstValue("Retry-After").orElse(null));
            assertProblem(s.post("/api/runs/inline/validate", ok), "POST", "/api/runs/inline/validate", 429, "rate_limited");
            assertEquals(0, TestServer.json(s.get("/api/runs")).get("total").asInt());
            // the next window admits again
            clock.advance(java.time.Duration.ofSeconds(60));
            assertEquals(200, s.post("/api/runs/inline/validate", ok).statusCode());
        }
    }

    @Test
    void validateChecksManifestInputAndConnectionsWithoutRunning() {
        try (TestServer s = TestServer.start(dataDir)) {
            HttpResponse<String> ok = s.post("/api/runs/inline/validate", InlineAgents.body(InlineAgents.manifest(), InlineAgents.PROMPT,
                    InlineAgents.input("Ada")));
            assertEquals(200, ok.statusCode(), ok.body());
            assertMatches("POST", "/api/runs/inline/validate", 200, ok);
            assertEquals("{\"valid\":true}", ok.body());

            HttpResponse<String> noName = s.post("/api/runs/inline/validate", InlineAgents.body(InlineAgents.manifest(), InlineAgents.PROMPT,
                    Json.object()));
            assertProblem(noName, "POST", "/api/runs/inline/validate", 400, "validation_failed");
            assertEquals(List.of("input"), fields(noName));
            assertTrue(TestServer.json(noName).toString().contains("name"), noName.body());

            ObjectNode m = InlineAgents.manifest();
            m.put("type", "skill");
            ((ObjectNode) m.get("output")).set("schema", Json.object().put("type", "nonsense"));
            HttpResponse<String> bad = s.post("/api/runs/inline/validate", InlineAgents.body(m, InlineAgents.PROMPT, InlineAgents.input("A")));
            assertProblem(bad, "POST", "/api/runs/inline/validate", 400, "validation_failed");
            List<String> fields = fields(bad);
            assertTrue(fields.contains("manifest.type") && fields.stream().anyMatch(f -> f.startsWith("manifest.output")), fields.toString());

            // an integration the application has no connection for is reported at its manifest field
            ObjectNode needs = InlineAgents.manifest();
            needs.with("dependencies").set("integrations", Json.object().put("@acme/crm", "^1.0.0"));
            HttpResponse<String> notReady = s.post("/api/runs/inline/validate", InlineAgents.body(needs, InlineAgents.PROMPT,
                    InlineAgents.input("Ada")));
            assertProblem(notReady, "POST", "/api/runs/inline/validate", 400, "validation_failed");
            assertEquals(List.of("manifest.dependencies.integrations.@acme/crm"), fields(notReady));
            assertEquals(0, TestServer.json(s.get("/api/runs")).get("total").asInt(), "validate never creates a run");
        }
    }

    @Test
    void anEditedFolderPromptIsWhatTheNextRunSendsToTheModel() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("greeting", "Hello Ada"));
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            Path folder = InlineAgents.writeFolder(dataDir.resolve("my-agent"), InlineAgents.manifest(), "Greet the person warmly.");
            String first = InlineAgents.start(s, InlineAgents.bodyFromFolder(folder, InlineAgents.input("Ada"))).get("id").asText();
            assertEquals("success", awaitTerminal(s, first).get("status").asText());
            int before = model.requestCount();

            // the author saves prompt.md in an editor; the next run is the folder's new contents, with no version bump
            Files.writeString(folder.resolve("prompt.md"), "Greet the person in French, formally.");
            String second = InlineAgents.start(s, InlineAgents.bodyFromFolder(folder, InlineAgents.input("Ada"))).get("id").asText();
            assertEquals("success", awaitTerminal(s, second).get("status").asText());

            List<ScriptedModelServer.RecordedRequest> secondRun = model.requests().subList(before, model.requestCount());
            assertFalse(secondRun.isEmpty());
            String system = systemPrompt(secondRun.get(0).json());
            assertTrue(system.startsWith("Greet the person in French, formally."), system);
            assertFalse(system.contains("warmly"), system);
            assertTrue(systemPrompt(model.requests().get(0).json()).startsWith("Greet the person warmly."));
            assertEquals("Greet the person in French, formally.", TestServer.json(s.get("/api/runs/" + second)).get("inline_prompt").asText());
        }
    }

    /** The system message of an OpenAI chat request. */
    static String systemPrompt(JsonNode request) {
        return StreamSupport.stream(request.path("messages").spliterator(), false)
                .filter(m -> m.path("role").asText().equals("system")).map(m -> m.path("content").asText()).findFirst().orElse("");
    }

    private static List<String> fields(HttpResponse<String> r) {
        List<String> out = new ArrayList<>();
        TestServer.json(r).path("errors").forEach(e -> out.add(e.path("field").asText()));
        return out;
    }

    private static void assertProblem(HttpResponse<String> r, String method, String path, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        assertEquals(code, TestServer.json(r).path("code").asText(), r.body());
        assertMatches(method, path, status, r);
    }

    /** The body validates against the schema the original declares for this operation and status. */
    private static void assertMatches(String method, String path, int status, HttpResponse<String> r) {
        assertTrue(ref.declares(method, path, status), "the original declares no " + status + " for " + method + " " + path);
        JsonNode schema = ref.responseSchema(method, path, status).orElseThrow();
        List<SchemaValidator.SchemaError> errors = ref.validate(schema, TestServer.json(r));
        assertTrue(errors.isEmpty(), method + " " + path + " " + status + ": " + errors);
    }

    private static void assertMatchesRun(JsonNode run, String method, String path, int status) {
        JsonNode schema = ref.responseSchema(method, path, status).orElseThrow();
        List<SchemaValidator.SchemaError> errors = ref.validate(schema, run);
        assertTrue(errors.isEmpty(), "the Run body differs from the original's schema: " + errors);
        assertNotNull(run.get("package_ephemeral"));
    }
}
