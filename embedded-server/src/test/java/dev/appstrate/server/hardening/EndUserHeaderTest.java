package dev.appstrate.server.hardening;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.RunFixtures;
import dev.appstrate.server.testing.SseClient;
import dev.appstrate.server.testing.SseClient.Frame;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Appstrate-User} is checked on every request of an API key, as in the original: a run asked for as another
 * application's end-user (or as no end-user at all) is refused and nothing is started; one asked for as the key's own
 * application's end-user is that end-user's run. Before (hostile caller, session 10) only the connection routes read the
 * header: the run routes ignored it and started the run as the key's creator, 201, whoever was named.
 */
class EndUserHeaderTest {
    @TempDir
    Path dataDir;

    @Test
    void aRunAskedForAsAnEndUserIsThatEndUsersOrRefused() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("output", Map.of("data", Map.of("answer", 1))))
                .start(); TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "as-end-user", null);
            String appB = TestServer.json(s.post("/api/applications", "{\"name\":\"B\"}")).get("id").asText();
            String ownEndUser = TestServer.json(s.post("/api/end-users", "{\"name\":\"Ada\"}")).get("id").asText();
            String otherEndUser = TestServer.json(s.send("POST", "/api/end-users", "{\"name\":\"Bob\"}", "X-App-Id", appB)).get("id").asText();
            String key = TestServer.json(s.post("/api/api-keys", "{\"name\":\"a\",\"scopes\":[\"agents:read\",\"agents:run\",\"runs:read\"]}"))
                    .get("key").asText();
            String run = "/api/agents/@local/as-end-user/run";

            refused(s.send("POST", run, "{}", "Authorization", "Bearer " + key, "Appstrate-User", otherEndUser), 403, "invalid_end_user");
            refused(s.send("POST", run, "{}", "Authorization", "Bearer " + key, "Appstrate-User", "eu_00000000-0000-4000-8000-000000000000"),
                    403, "invalid_end_user");
            refused(s.send("POST", run, "{}", "Authorization", "Bearer " + key, "Appstrate-User", "ada"), 400, "invalid_end_user_id");
            refused(s.send("GET", "/api/agents", null, "Authorization", "Bearer " + key, "Appstrate-User", otherEndUser), 403, "invalid_end_user");
            refused(s.send("POST", run, "{}", "Appstrate-User", ownEndUser), 400, "header_not_allowed");
            assertEquals(0L, (long) s.server().database().read(c -> Rows.count(c, "SELECT COUNT(*) FROM runs")), "no refused run was started");

            HttpResponse<String> own = s.send("POST", run, "{}", "Authorization", "Bearer " + key, "Appstrate-User", ownEndUser);
            assertEquals(201, own.statusCode(), own.body());
            JsonNode started = TestServer.json(own);
            assertEquals(ownEndUser, started.path("endUserId").asText(), own.body());
            HttpResponse<String> asKey = s.send("POST", run, "{}", "Authorization", "Bearer " + key);
            assertEquals(201, asKey.statusCode(), asKey.body());
            assertTrue(TestServer.json(asKey).path("endUserId").isNull(), "without the header the key's own run: " + asKey.body());
        }
    }

    /**
     * The original narrows what an impersonated end-user sees to its own runs: lists, reads, logs, streams, cancel (and
     * here also transcripts, documents and deleting an agent's runs). End-users A and B of one application, each with a
     * run and its document: A's impersonated key gets 404 for everything of B's run, as for an unknown run, and still
     * sees its own; the same key without the header sees every run of the application, as before.
     */
    @Test
    void anImpersonatedEndUserSeesOnlyItsOwnRuns() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.builder()
                .turn(Turn.toolCall("write", Map.of("path", "outputs/a.md", "content", "for A")))
                .turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 1))), 5, 5))
                .turn(Turn.toolCall("write", Map.of("path", "outputs/b.md", "content", "for B")))
                .turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 2))), 5, 5))
                .start(); TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "reporter", null);
            String a = TestServer.json(s.post("/api/end-users", "{\"name\":\"Ada\"}")).get("id").asText();
            String b = TestServer.json(s.post("/api/end-users", "{\"name\":\"Bob\"}")).get("id").asText();
            String key = "Bearer " + TestServer.json(s.post("/api/api-keys", "{\"name\":\"integrator\"}")).get("key").asText();
            String runA = runAs(s, key, a);
            String runB = runAs(s, key, b);
            String docB = RunFixtures.documentsOf(s, runB).get(0).get("id").asText();

            // A's impersonated key: B's run is not there, whichever way it is asked for
            for (String path : List.of("/api/runs/" + runB, "/api/runs/" + runB + "?wait=1", "/api/runs/" + runB + "/logs",
                    "/api/runs/" + runB + "/transcript", "/api/realtime/runs/" + runB, "/api/documents/" + docB,
                    "/api/documents/" + docB + "/content")) {
                HttpResponse<String> r = s.send("GET", path, null, "Authorization", key, "Appstrate-User", a);
                assertEquals(404, r.statusCode(), path + " " + r.body());
            }
            HttpResponse<String> read = s.send("GET", "/api/runs/" + runB, null, "Authorization", key, "Appstrate-User", a);
            assertEquals("not_found", TestServer.json(read).path("code").asText(), read.body());
            assertEquals("Run not found", TestServer.json(read).path("detail").asText(), read.body());
            refused(s.send("POST", "/api/runs/" + runB + "/cancel", "{}", "Authorization", key, "Appstrate-User", a), 404, "not_found");
            refused(s.send("DELETE", "/api/documents/" + docB, null, "Authorization", key, "Appstrate-User", a), 404, "document_not_found");
            refused(s.send("GET", "/api/realtime/runs", null, "Authorization", key, "Appstrate-User", a), 400, "header_not_allowed");
            // lists: A's own runs only, the other filters ignored (the original's user=me path)
            for (String list : List.of("/api/runs", "/api/runs?status=cancelled&kind=inline", "/api/agents/@local/reporter/runs")) {
                assertEquals(List.of(runA), ids(s.send("GET", list, null, "Authorization", key, "Appstrate-User", a)), list);
            }
            JsonNode docs = TestServer.json(s.send("GET", "/api/documents", null, "Authorization", key, "Appstrate-User", a));
            assertEquals(1, docs.get("total").asInt(), docs.toString());
            assertEquals(runA, docs.get("data").get(0).get("run_id").asText(), "A's document only: " + docs);
            assertEquals(List.of(), ids(s.send("GET", "/api/documents?run_id=" + runB, null, "Authorization", key, "Appstrate-User", a)));

            // and its own run, every way
            for (String path : List.of("/api/runs/" + runA, "/api/runs/" + runA + "/logs", "/api/runs/" + runA + "/transcript")) {
                HttpResponse<String> r = s.send("GET", path, null, "Authorization", key, "Appstrate-User", a);
                assertEquals(200, r.statusCode(), path + " " + r.body());
            }
            List<Frame> frames = SseClient.read(s.url() + "/api/realtime/runs/" + runA, null, f -> f.event().equals("run_update"), 5,
                    null, Map.of("Authorization", key, "Appstrate-User", a));
            assertTrue(frames.stream().anyMatch(f -> f.event().equals("run_update") && f.data().contains(runA)), frames.toString());

            // without the header the key sees every run of its application, as before
            assertEquals(List.of(runB, runA), ids(s.send("GET", "/api/runs", null, "Authorization", key)));
            assertEquals(200, s.send("GET", "/api/runs/" + runB + "/logs", null, "Authorization", key).statusCode());
            assertEquals(List.of(), ids(s.send("GET", "/api/runs?user=me", null, "Authorization", key)), "user=me: none started as the key's member");

            // schedules act for one actor and run with its connections: A sees, changes and makes only its own
            String schedB = TestServer.json(s.post("/api/agents/@local/reporter/schedules",
                    "{\"cron_expression\":\"0 9 * * *\",\"actor\":{\"end_user_id\":\"" + b + "\"}}")).get("id").asText();
            for (String[] call : new String[][] {{"GET", ""}, {"PUT", "{\"enabled\":false}"}, {"POST", "{}"}, {"GET", "/fires"},
                    {"DELETE", null}}) {
                String path = "/api/schedules/" + schedB + (call[0].equals("POST") ? "/run" : call[1] != null && call[1].startsWith("/") ? call[1] : "");
                String body = call[1] != null && call[1].startsWith("{") ? call[1] : null;
                HttpResponse<String> r = s.send(call[0], path, body, "Authorization", key, "Appstrate-User", a);
                assertEquals(404, r.statusCode(), call[0] + " " + path + " " + r.body());
            }
            HttpResponse<String> mine = s.send("POST", "/api/agents/@local/reporter/schedules", "{\"cron_expression\":\"0 9 * * *\"}",
                    "Authorization", key, "Appstrate-User", a);
            assertEquals(201, mine.statusCode(), mine.body());
            assertEquals(a, TestServer.json(mine).get("endUserId").asText(), "an end-user's schedule acts for it: " + mine.body());
            assertEquals(400, s.send("POST", "/api/agents/@local/reporter/schedules", "{\"cron_expression\":\"0 9 * * *\",\"actor\":"
                    + "{\"end_user_id\":\"" + b + "\"}}", "Authorization", key, "Appstrate-User", a).statusCode(), "no schedule acting for B");
            String schedA = TestServer.json(mine).get("id").asText();
            assertEquals(List.of(schedA), ids(s.send("GET", "/api/schedules", null, "Authorization", key, "Appstrate-User", a)));
            assertEquals(2, ids(s.send("GET", "/api/schedules", null, "Authorization", key)).size(), "without the header: both");
            assertEquals(200, s.get("/api/schedules/" + schedB).statusCode(), "B's schedule untouched");

            // deleting the agent's runs as A deletes A's only
            HttpResponse<String> del = s.send("DELETE", "/api/agents/@local/reporter/runs", null, "Authorization", key, "Appstrate-User", a);
            assertEquals(1, TestServer.json(del).get("deleted_count").asInt(), del.body());
            assertEquals(200, s.get("/api/runs/" + runB).statusCode(), "B's run kept");
            assertEquals(404, s.get("/api/runs/" + runA).statusCode(), "A's run deleted");
        }
    }

    /**
     * What belongs to the integrator, not to an end-user (reviewer, session 11): webhooks (a delivery carries any
     * end-user's run, a hook made as A would receive B's) refuse the header; an Idempotency-Key B used is not replayed
     * to A (it handed A B's run); {@code user=} other than {@code me} is refused rather than widened to every run, and
     * {@code user=me} lists the key's own runs.
     */
    @Test
    void whatBelongsToTheIntegratorIsNotReachedAsAnEndUser() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.builder()
                .turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 1))), 5, 5))
                .turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 2))), 5, 5))
                .turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 3))), 5, 5))
                .start(); TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "reporter", null);
            String a = TestServer.json(s.post("/api/end-users", "{\"name\":\"Ada\"}")).get("id").asText();
            String b = TestServer.json(s.post("/api/end-users", "{\"name\":\"Bob\"}")).get("id").asText();
            String key = "Bearer " + TestServer.json(s.post("/api/api-keys", "{\"name\":\"integrator\"}")).get("key").asText();

            String hook = "{\"url\":\"https://hooks.example.com/in\",\"events\":[\"run.success\"]}";
            refused(s.send("POST", "/api/webhooks", hook, "Authorization", key, "Appstrate-User", a), 400, "header_not_allowed");
            assertEquals(List.of(), ids(s.send("GET", "/api/webhooks", null, "Authorization", key)), "no webhook made as A");
            String hookId = TestServer.json(s.send("POST", "/api/webhooks", hook, "Authorization", key)).get("id").asText();
            for (String path : List.of("/api/webhooks", "/api/webhooks/" + hookId, "/api/webhooks/" + hookId + "/deliveries")) {
                refused(s.send("GET", path, null, "Authorization", key, "Appstrate-User", a), 400, "header_not_allowed");
            }

            String run = "/api/agents/@local/reporter/run";
            HttpResponse<String> asB = s.send("POST", run, "{}", "Authorization", key, "Appstrate-User", b, "Idempotency-Key", "order-42");
            assertEquals(201, asB.statusCode(), asB.body());
            HttpResponse<String> asA = s.send("POST", run, "{}", "Authorization", key, "Appstrate-User", a, "Idempotency-Key", "order-42");
            assertEquals(201, asA.statusCode(), asA.body());
            assertEquals(a, TestServer.json(asA).path("endUserId").asText(), "A's own run, not B's replayed: " + asA.body());
            String runB = TestServer.json(asB).get("id").asText();
            String runA = TestServer.json(asA).get("id").asText();
            assertTrue(!runA.equals(runB), "two runs");
            HttpResponse<String> again = s.send("POST", run, "{}", "Authorization", key, "Appstrate-User", b, "Idempotency-Key", "order-42");
            assertEquals(runB, TestServer.json(again).get("id").asText(), "B's retry is still B's replay: " + again.body());

            HttpResponse<String> mine = s.send("POST", run, "{}", "Authorization", key);
            String own = TestServer.json(mine).get("id").asText();
            for (String id : List.of(runA, runB, own)) {
                assertEquals("success", RunFixtures.awaitTerminal(s, id).get("status").asText());
            }
            assertEquals(List.of(own), ids(s.send("GET", "/api/runs?user=me", null, "Authorization", key)), "user=me: the key's own");
            assertEquals(3, ids(s.send("GET", "/api/runs?user=", null, "Authorization", key)).size(), "an empty user= is no filter");
            refused(s.send("GET", "/api/runs?user=" + b, null, "Authorization", key), 400, "invalid_request");
        }
    }

    /** Starts a run as that end-user through the key and waits for its end (read as the owner). */
    private static String runAs(TestServer s, String key, String endUser) {
        HttpResponse<String> r = s.send("POST", "/api/agents/@local/reporter/run", "{}", "Authorization", key, "Appstrate-User", endUser);
        assertEquals(201, r.statusCode(), r.body());
        String id = TestServer.json(r).get("id").asText();
        assertEquals("success", RunFixtures.awaitTerminal(s, id).get("status").asText());
        return id;
    }

    private static List<String> ids(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        List<String> ids = new ArrayList<>();
        TestServer.json(r).get("data").forEach(n -> ids.add(n.get("id").asText()));
        return ids;
    }

    private static void refused(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        assertEquals(code, TestServer.json(r).path("code").asText(), r.body());
    }
}
