package dev.appstrate.server.docker;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Docker screen's API: list managed resources, preview a cleanup, perform it, refuse active runs. */
class DockerCleanupApiTest {
    private static final String ORPHAN = "run_cleanup_orphan";

    @Test
    void listPreviewAndRemoveOrphansButNotActiveRuns(@TempDir Path dir) throws Exception {
        DockerClient d = DockerTestEngine.require().api();
        String active = null;
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 120")))
                .start();
             TestServer server = TestServer.start(dir, Map.of("DOCKER_HOST", DockerTestEngine.host()))) {
            // a real run in flight: the server must leave its containers alone
            addModel(server, "openai-compatible", model.baseUrl());
            addAgent(server, "busy", null);
            active = startRun(server, "busy", "{}").get("id").asText();
            String orphanAgent = DockerTestEngine.container("appstrate-agent-" + ORPHAN, labels(ORPHAN), true);
            String activeAgent = DockerTestEngine.container("appstrate-agent-" + active, labels(active), true);
            d.createNetworkCmd().withName("appstrate-exec-" + ORPHAN).withInternal(true).exec();
            d.createVolumeCmd().withName("appstrate-ws-" + ORPHAN).exec();
            d.createVolumeCmd().withName("appstrate-ws-" + active).exec();

            // the listing: run, state, age and the orphan flag
            JsonNode list = json(server.get("/api/docker/resources"), 200);
            JsonNode orphanRow = find(list.path("containers"), orphanAgent);
            assertEquals(ORPHAN, orphanRow.path("runId").asText());
            assertEquals("running", orphanRow.path("state").asText());
            assertTrue(orphanRow.path("orphaned").asBoolean());
            assertTrue(orphanRow.path("age_seconds").asLong() >= 0);
            assertFalse(find(list.path("containers"), activeAgent).path("orphaned").asBoolean());
            assertTrue(find(list.path("networks"), "appstrate-exec-" + ORPHAN).path("orphaned").asBoolean());
            assertFalse(find(list.path("volumes"), "appstrate-ws-" + active).path("orphaned").asBoolean());
            // a volume created without our label (another tool, an older server) still has the engine's creation time
            JsonNode orphanVolume = find(list.path("volumes"), "appstrate-ws-" + ORPHAN);
            assertFalse(orphanVolume.path("createdAt").isNull(), orphanVolume.toString());
            assertTrue(orphanVolume.path("age_seconds").asLong() >= 0, orphanVolume.toString());
            assertEquals(3, list.path("orphans").asInt());

            // preview of "all orphans": exactly the orphan's three resources, and nothing is removed
            JsonNode preview = json(server.post("/api/docker/cleanup", "{\"dryRun\":true,\"ids\":null}"), 200);
            assertTrue(preview.path("dryRun").asBoolean());
            assertEquals(Set.of(orphanAgent, "appstrate-exec-" + ORPHAN, "appstrate-ws-" + ORPHAN), names(preview));
            assertTrue(DockerTestEngine.containerExists(orphanAgent));
            assertTrue(DockerTestEngine.networkExists("appstrate-exec-" + ORPHAN));

            // an active run's container is refused without force, and nothing is removed
            HttpResponse<String> refused = server.post("/api/docker/cleanup",
                    "{\"dryRun\":false,\"ids\":[\"" + orphanAgent + "\",\"" + activeAgent + "\"]}");
            assertEquals(409, refused.statusCode(), refused.body());
            assertEquals("docker_resource_active", Json.MAPPER.readTree(refused.body()).path("code").asText());
            assertTrue(DockerTestEngine.containerExists(orphanAgent), "nothing removed on refusal");

            // unknown ids: 404, nothing removed; bad bodies: 400
            assertEquals(404, server.post("/api/docker/cleanup", "{\"ids\":[\"nope\",\"" + orphanAgent + "\"]}").statusCode());
            assertTrue(DockerTestEngine.containerExists(orphanAgent));
            assertEquals(400, server.post("/api/docker/cleanup", "{\"dryRun\":\"maybe\"}").statusCode());
            assertEquals(400, server.post("/api/docker/cleanup", "{\"ids\":[]}").statusCode());
            assertEquals(400, server.post("/api/docker/cleanup", "{\"idz\":null}").statusCode());
            assertEquals(401, server.send("POST", "/api/docker/cleanup", "{\"dryRun\":false}", "Authorization", null).statusCode());
            assertEquals(401, server.send("GET", "/api/docker/resources", null, "Authorization", null).statusCode());
            assertTrue(DockerTestEngine.containerExists(orphanAgent));

            // perform: every orphan goes, the active run's resources stay
            JsonNode done = json(server.post("/api/docker/cleanup", "{\"dryRun\":false,\"ids\":null}"), 200);
            assertFalse(done.path("dryRun").asBoolean());
            assertEquals(names(preview), names(done), "performed exactly what the preview listed");
            assertEquals(0, done.path("failed").size());
            assertFalse(DockerTestEngine.containerExists(orphanAgent));
            assertFalse(DockerTestEngine.networkExists("appstrate-exec-" + ORPHAN));
            assertFalse(DockerTestEngine.volumeExists("appstrate-ws-" + ORPHAN));
            assertTrue(DockerTestEngine.containerExists(activeAgent));
            assertTrue(DockerTestEngine.volumeExists("appstrate-ws-" + active));

            // a chosen set with force removes an active run's resources
            JsonNode forced = json(server.post("/api/docker/cleanup", "{\"ids\":[\"appstrate-agent-" + active
                    + "\",\"appstrate-ws-" + active + "\"],\"force\":true}"), 200);
            assertEquals(2, forced.path("count").asInt());
            assertFalse(DockerTestEngine.containerExists(activeAgent));
            assertFalse(DockerTestEngine.volumeExists("appstrate-ws-" + active));
        } finally {
            if (active != null) {
                DockerTestEngine.removeQuietly("appstrate-agent-" + active);
            }
        }
    }

    private static Map<String, String> labels(String run) {
        return Map.of("appstrate.managed", "true", "appstrate.run", run, "appstrate.adapter", "docker");
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private static JsonNode find(JsonNode array, String idOrName) {
        for (JsonNode n : array) {
            if (n.path("id").asText().equals(idOrName) || n.path("name").asText().equals(idOrName)) {
                return n;
            }
        }
        throw new AssertionError(idOrName + " not listed in " + array);
    }

    private static Set<String> names(JsonNode result) {
        List<String> out = new ArrayList<>();
        for (String kind : List.of("containers", "networks", "volumes")) {
            for (JsonNode n : result.path(kind)) {
                out.add(n.path("kind").asText().equals("container") ? n.path("id").asText() : n.path("name").asText());
            }
        }
        return Set.copyOf(out);
    }
}
