package dev.appstrate.server.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.SinkRecorder;
import dev.appstrate.server.config.DockerSettings;
import dev.appstrate.server.config.RunLimits;
import dev.appstrate.server.runs.adapter.RunLaunch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker adapter on a real engine, with the real agent runner in the locally built runner image
 * talking through the sidecar to a scripted model and a sink recorder on this host's loopback.
 */
class DockerRunAdapterTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    @TempDir
    Path dir;
    private DockerRunAdapter adapter;

    @AfterEach
    void close() {
        if (adapter != null) {
            adapter.close();
        }
    }

    private DockerRunAdapter adapter(int poolSize, List<Integer> upstreams) {
        DockerEngine engine = DockerTestEngine.require();
        ImageProvisioner images = new ImageProvisioner(engine, dir.resolve("docker"));
        adapter = new DockerRunAdapter(engine, images, DockerSettings.defaults(), RunLimits.defaults(), poolSize, upstreams,
                ConcurrentHashMap.newKeySet(), "srv_test" + UUID.randomUUID().toString().substring(0, 6), Clock.systemUTC());
        adapter.prepare();
        return adapter;
    }

    private record Started(String runId, CompletableFuture<Integer> exit) {
    }

    private Started start(SinkRecorder sink, ScriptedModelServer model, Map<String, String> extra) throws Exception {
        String runId = "run_" + UUID.randomUUID();
        Map<String, String> env = new HashMap<>(sink.sinkEnv(runId));
        env.put("AGENT_RUN_ID", runId);
        env.put("AGENT_PROMPT", "Say hi into a file, then output.");
        env.put("MODEL_API", "openai-completions");
        env.put("MODEL_ID", "scripted");
        env.put("MODEL_BASE_URL", model.baseUrl());
        env.put("MODEL_API_KEY", "placeholder");
        env.put("AGENT_TIMEOUT_SECONDS", "60");
        env.putAll(extra);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        adapter.start(new RunLaunch(runId, dir.resolve("runs").resolve(runId), env, 60, 512, 1, exit::complete));
        return new Started(runId, exit);
    }

    @Test
    void aRunSucceedsInsideItsIsolatedTopologyAndLeavesNothingBehind() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.builder()
                     .turn(ScriptedModelServer.Turn.toolCall("bash", Map.of("command", "echo hi > note.txt && cat note.txt && id -u && echo routes: && ip route && echo end")))
                     .turn(new ScriptedModelServer.Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 42))), 5, 5))
                     .delay(Duration.ofSeconds(2)).start()) {
            adapter(0, List.of(port(sink), model.port()));
            Started run = start(sink, model, Map.of());
            DockerClient d = DockerTestEngine.require().api();
            String agentName = "appstrate-agent-" + run.runId();
            String sidecarName = "appstrate-sidecar-" + run.runId();
            await(() -> DockerTestEngine.containerExists(agentName), "agent container exists");

            InspectContainerResponse agent = d.inspectContainerCmd(agentName).exec();
            Map<String, String> labels = agent.getConfig().getLabels();
            assertEquals("true", labels.get("appstrate.managed"));
            assertEquals(run.runId(), labels.get("appstrate.run"));
            assertEquals("docker", labels.get("appstrate.adapter"));
            var hc = agent.getHostConfig();
            assertEquals(List.of(Capability.ALL), List.of(hc.getCapDrop()));
            assertEquals(List.of("no-new-privileges"), hc.getSecurityOpts());
            assertEquals(256L, hc.getPidsLimit());
            assertEquals(512L * 1024 * 1024, hc.getMemory());
            assertEquals(1_000_000_000L, hc.getNanoCPUs());
            assertEquals(Set.of("appstrate-exec-" + run.runId()), agent.getNetworkSettings().getNetworks().keySet(),
                    "the agent is on its run's network only");
            assertTrue(d.inspectNetworkCmd().withNetworkId("appstrate-exec-" + run.runId()).exec().getInternal(),
                    "an internal network: no route out");
            assertEquals("appstrate-ws-" + run.runId(), agent.getMounts().get(0).getName());
            assertEquals("/workspace", agent.getMounts().get(0).getDestination().getPath());
            assertTrue(agent.getConfig().getEnv().length > 0);
            for (String e : agent.getConfig().getEnv()) {
                assertFalse(e.contains("127.0.0.1"), "no loopback URL reaches the container: " + e);
            }

            InspectContainerResponse sidecar = d.inspectContainerCmd(sidecarName).exec();
            assertEquals(run.runId(), sidecar.getConfig().getLabels().get("appstrate.run"));
            assertEquals(List.of(Capability.ALL), List.of(sidecar.getHostConfig().getCapDrop()));
            assertEquals(Set.of("appstrate-egress", "appstrate-exec-" + run.runId()),
                    sidecar.getNetworkSettings().getNetworks().keySet());
            assertTrue(sidecar.getNetworkSettings().getNetworks().get("appstrate-exec-" + run.runId()).getAliases()
                    .contains("sidecar"));

            assertEquals(0, run.exit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            JsonNode result = sink.awaitFinalize(Duration.ofSeconds(5));
            assertEquals("success", result.path("status").asText(), result.toString());
            assertEquals(42, result.path("output").path("answer").asInt());
            String log = Files.readString(dir.resolve("runs").resolve(run.runId()).resolve("runner.log"));
            assertNotNull(log);
            assertGone(run.runId());
            // the model saw the tool result: the agent wrote to its workspace as uid 1001
            String toolResult = model.requests().get(1).body();
            assertTrue(toolResult.contains("hi") && toolResult.contains("1001"), toolResult);
            String routes = toolResult.substring(toolResult.indexOf("routes:"), toolResult.indexOf("end"));
            assertFalse(routes.contains("default"), "no default route out of the agent container: " + routes);
        }
    }

    @Test
    void stopEndsTheRunWithinTheGraceAndRemovesEverything() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.builder()
                     .turn(ScriptedModelServer.Turn.text("thinking")).delay(Duration.ofSeconds(300)).start()) {
            adapter(0, List.of(port(sink), model.port()));
            Started run = start(sink, model, Map.of());
            await(() -> model.requestCount() > 0, "the agent called the model");
            assertTrue(adapter.stop(run.runId(), Duration.ofSeconds(5)));
            run.exit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertGone(run.runId());
            assertFalse(adapter.stop(run.runId(), Duration.ofSeconds(5)), "nothing left to stop");
        }
    }

    @Test
    void theRunnersOwnTimeoutEndsTheRunAndRemovesEverything() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.builder()
                     .turn(ScriptedModelServer.Turn.text("thinking")).delay(Duration.ofSeconds(300)).start()) {
            adapter(0, List.of(port(sink), model.port()));
            Started run = start(sink, model, Map.of("AGENT_TIMEOUT_SECONDS", "2"));
            run.exit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertEquals("timeout", sink.awaitFinalize(Duration.ofSeconds(5)).path("status").asText());
            assertGone(run.runId());
        }
    }

    @Test
    void runsTakePooledSidecarsTheBrokenOnesAreDiscardedAndThePoolRefills() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.instant(Map.of("n", 1))) {
            adapter(2, List.of(port(sink), model.port()));
            await(() -> adapter.pool().ready() == 2, "the pool warms to 2");
            List<String> pooled = poolContainers();
            assertEquals(2, pooled.size());

            // a pooled sidecar dies: it is never handed out
            String killed = pooled.get(0);
            DockerTestEngine.require().api().killContainerCmd(killed).exec();
            Started run = start(sink, model, Map.of());
            String sidecarId = DockerTestEngine.require().api().inspectContainerCmd("appstrate-sidecar-" + run.runId()).exec().getId();
            assertEquals(pooled.get(1), sidecarId, "the run got the healthy pooled sidecar");
            assertNotEquals(killed, sidecarId);
            assertEquals(0, run.exit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertGone(run.runId());
            await(() -> !DockerTestEngine.containerExists(killed), "the broken sidecar is discarded");

            await(() -> adapter.pool().ready() == 2 && poolContainers().size() == 2, "the pool refills to 2");
            assertTrue(poolContainers().stream().noneMatch(pooled::contains), "refilled with fresh sidecars");
        }
    }

    @Test
    void withoutAPoolEachRunCreatesItsOwnSidecar() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.instant(Map.of("ok", true))) {
            adapter(0, List.of(port(sink), model.port()));
            assertEquals(0, adapter.pool().ready());
            Started run = start(sink, model, Map.of());
            InspectContainerResponse sidecar = DockerTestEngine.require().api()
                    .inspectContainerCmd("appstrate-sidecar-" + run.runId()).exec();
            assertEquals(run.runId(), sidecar.getConfig().getLabels().get("appstrate.run"), "created for this run");
            assertNull(sidecar.getConfig().getLabels().get("appstrate.pool"));
            assertEquals(0, run.exit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertTrue(poolContainers().isEmpty());
        }
    }

    private static int port(SinkRecorder sink) {
        return java.net.URI.create(sink.baseUrl()).getPort();
    }

    private List<String> poolContainers() {
        List<Container> list = DockerTestEngine.require().api().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of("appstrate.pool")).exec();
        return list.stream().filter(c -> c.getNames()[0].startsWith("/appstrate-sidecar-pool-"))
                .filter(c -> c.getLabels().get("appstrate.pool").startsWith("srv_test"))
                .map(Container::getId).sorted().toList();
    }

    private static void assertGone(String runId) {
        assertFalse(DockerTestEngine.containerExists("appstrate-agent-" + runId), "agent removed");
        assertFalse(DockerTestEngine.containerExists("appstrate-sidecar-" + runId), "sidecar removed");
        assertFalse(DockerTestEngine.networkExists("appstrate-exec-" + runId), "network removed");
        assertFalse(DockerTestEngine.volumeExists("appstrate-ws-" + runId), "volume removed");
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
