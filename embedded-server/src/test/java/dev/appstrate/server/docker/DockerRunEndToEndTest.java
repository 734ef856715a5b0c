package dev.appstrate.server.docker;

import static dev.appstrate.server.testing.RunFixtures.REAL_MODEL_KEY;
import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RUN_ADAPTER=docker through the real run pipeline: the real runner in a container, only the model scripted. */
class DockerRunEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    @TempDir
    Path dataDir;

    /** A docker-mode server whose images are ready (the first build of the runner image takes a while). */
    private TestServer dockerServer(int poolSize) throws InterruptedException {
        TestServer s = TestServer.start(dataDir, Map.of("DOCKER_HOST", DockerTestEngine.host(), "RUN_ADAPTER", "docker",
                "SIDECAR_POOL_SIZE", String.valueOf(poolSize)));
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!TestServer.json(s.get("/api/docker")).path("images_ready").asBoolean()) {
            if (System.nanoTime() > deadline) {
                s.close();
                throw new AssertionError("the docker images were never ready");
            }
            Thread.sleep(200);
        }
        return s;
    }

    @Test
    void aDockerRunSucceedsWithItsContainersIsolatedAndThenRemoved() throws Exception {
        DockerClient d = DockerTestEngine.require().api();
        try (ScriptedModelServer model = ScriptedModelServer.builder()
                .turn(Turn.toolCall("bash", Map.of("command", "echo hello-from-container > out.txt; cat out.txt")))
                .turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 42))), 20, 9))
                .delay(Duration.ofSeconds(2)).start();
             TestServer s = dockerServer(1)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "boxed", null);
            String runId = startRun(s, "boxed", "{\"input\":{}}").get("id").asText();
            String agentName = "appstrate-agent-" + runId;
            await(() -> DockerTestEngine.containerExists(agentName), "the agent container exists");

            InspectContainerResponse agent = d.inspectContainerCmd(agentName).exec();
            assertEquals("true", agent.getConfig().getLabels().get("appstrate.managed"));
            assertEquals(runId, agent.getConfig().getLabels().get("appstrate.run"));
            assertEquals("docker", agent.getConfig().getLabels().get("appstrate.adapter"));
            assertEquals(List.of(Capability.ALL), List.of(agent.getHostConfig().getCapDrop()));
            assertEquals(List.of("no-new-privileges"), agent.getHostConfig().getSecurityOpts());
            assertEquals(256L, agent.getHostConfig().getPidsLimit());
            assertTrue(agent.getHostConfig().getMemory() > 0 && agent.getHostConfig().getNanoCPUs() > 0);
            assertEquals(Set.of("appstrate-exec-" + runId), agent.getNetworkSettings().getNetworks().keySet());
            String env = String.join("\n", agent.getConfig().getEnv());
            assertFalse(env.contains(REAL_MODEL_KEY), "the real model key never reaches the container");
            assertFalse(env.contains(TestServer.OWNER_TOKEN) || env.contains("test-auth-secret"), "no server secret");
            assertTrue(env.contains("http://sidecar:8080/"), "the agent calls the server through its sidecar: " + env);

            JsonNode run = awaitTerminal(s, runId);
            assertEquals("success", run.get("status").asText(), run.toString());
            assertEquals(42, run.at("/result/output/answer").asInt());
            assertTrue(model.requests().get(1).body().contains("hello-from-container"), "the tool ran in the container");
            assertTrue(model.requests().stream().allMatch(r -> ("Bearer " + REAL_MODEL_KEY).equals(r.header("authorization"))),
                    "the server's LLM proxy swapped the placeholder");
            await(() -> gone(runId), "sidecar, agent, network and volume removed");
        }
    }

    @Test
    void cancelStopsTheContainersAndRemovesEverything() throws Exception {
        DockerTestEngine.require();
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.text("thinking"))
                .delay(Duration.ofSeconds(300)).start();
             TestServer s = dockerServer(0)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "cancelme", null);
            String runId = startRun(s, "cancelme", "{}").get("id").asText();
            await(() -> model.requestCount() > 0, "the containerised agent called the model");
            assertEquals(200, s.post("/api/runs/" + runId + "/cancel", "{}").statusCode());
            JsonNode run = awaitTerminal(s, runId);
            assertEquals("cancelled", run.get("status").asText(), run.toString());
            await(() -> gone(runId), "sidecar, agent, network and volume removed");
        }
    }

    @Test
    void aTimeoutEndsTheRunAndRemovesEverything() throws Exception {
        DockerTestEngine.require();
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.text("thinking"))
                .delay(Duration.ofSeconds(300)).start();
             TestServer s = dockerServer(0)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "slow", 2);
            String runId = startRun(s, "slow", "{}").get("id").asText();
            JsonNode run = awaitTerminal(s, runId);
            assertEquals("timeout", run.get("status").asText(), run.toString());
            await(() -> gone(runId), "sidecar, agent, network and volume removed");
        }
    }

    @Test
    void aMissingImageFailsTheRunSayingHowToGetIt() throws Exception {
        DockerTestEngine.require();
        // a registry on a closed loopback port: the pull fails at once, without leaving this machine
        String image = "127.0.0.1:9/appstrate/missing-runner:1";
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("answer", 1));
             TestServer s = TestServer.start(dataDir, Map.of("DOCKER_HOST", DockerTestEngine.host(), "RUN_ADAPTER", "docker",
                     "SIDECAR_POOL_SIZE", "0", "PI_IMAGE", image))) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "noimage", null);
            JsonNode run = awaitTerminal(s, startRun(s, "noimage", "{}").get("id").asText());
            assertEquals("failed", run.get("status").asText(), run.toString());
            String error = run.get("error").asText();
            assertTrue(error.contains(image) && error.contains("docker pull " + image), error);
            assertEquals(0, model.requestCount());
        }
    }

    private static boolean gone(String runId) {
        return !DockerTestEngine.containerExists("appstrate-agent-" + runId)
                && !DockerTestEngine.containerExists("appstrate-sidecar-" + runId)
                && !DockerTestEngine.networkExists("appstrate-exec-" + runId)
                && !DockerTestEngine.volumeExists("appstrate-ws-" + runId);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting: " + what);
            }
            Thread.sleep(100);
        }
    }
}
