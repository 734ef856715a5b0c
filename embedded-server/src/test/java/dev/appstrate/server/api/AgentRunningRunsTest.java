package dev.appstrate.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.appstrate.server.testing.RunFixtures;
import dev.appstrate.server.testing.TestServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent with a run in progress shows it in the agent list and detail, and cannot be deleted until it ends. */
class AgentRunningRunsTest {
    @TempDir
    Path dir;

    static int runningRuns(TestServer s, String id) {
        for (JsonNode a : TestServer.json(s.get("/api/agents")).get("data")) {
            if (a.get("id").asText().equals(id)) {
                return a.get("running_runs").asInt();
            }
        }
        throw new AssertionError(id + " not listed");
    }

    @Test
    void runningRunsAreCountedAndBlockDeletion() throws Exception {
        // a model provider that accepts the call and never answers keeps the run in progress
        CountDownLatch called = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer model = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        model.createContext("/", ex -> {
            called.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        model.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        model.start();
        try (TestServer s = TestServer.start(dir)) {
            RunFixtures.addModel(s, "openai-compatible", "http://127.0.0.1:" + model.getAddress().getPort() + "/v1");
            String agent = "{\"manifest\":{\"name\":\"@local/slow\",\"type\":\"agent\",\"version\":\"1.0.0\",\"schema_version\":\"0.1\","
                    + "\"display_name\":\"Slow\"},\"content\":\"Answer.\"}";
            assertEquals(201, s.post("/api/packages/agents", agent).statusCode());
            assertEquals(0, runningRuns(s, "@local/slow"));

            HttpResponse<String> run = s.post("/api/agents/@local/slow/run", "{}");
            assertEquals(201, run.statusCode(), run.body());
            String runId = TestServer.json(run).get("id").asText();
            assertEquals(1, runningRuns(s, "@local/slow"));
            assertEquals(1, TestServer.json(s.get("/api/agents/@local/slow")).get("running_runs").asInt());
            HttpResponse<String> del = s.delete("/api/packages/agents/@local/slow");
            assertEquals(409, del.statusCode());
            assertEquals("agent_in_use", TestServer.json(del).get("code").asText());

            assertEquals(200, s.post("/api/runs/" + runId + "/cancel", null).statusCode());
            assertEquals(0, runningRuns(s, "@local/slow"));
            // the user's own cancel ends the log at info, as a success does: it is not listed, or shown, as an error
            String completed = "";
            for (com.fasterxml.jackson.databind.JsonNode l : TestServer.json(s.get("/api/runs/" + runId + "/logs")).get("data")) {
                if ("run_completed".equals(l.path("event").asText())) {
                    completed = l.path("level").asText() + " " + l.path("message").asText();
                }
            }
            assertEquals("info Run cancelled: Cancelled by user", completed);
            assertEquals(204, s.delete("/api/packages/agents/@local/slow").statusCode());
        } finally {
            release.countDown();
            model.stop(0);
        }
    }
}
