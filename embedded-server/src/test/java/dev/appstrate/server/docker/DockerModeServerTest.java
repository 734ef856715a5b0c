package dev.appstrate.server.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import dev.appstrate.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server started with RUN_ADAPTER=docker: the adapter is registered for the run pipeline, the
 * sidecar pool warms, pooled sidecars are not orphans, and a container on an internal run network
 * reaches the server's API through a sidecar by the name "sidecar".
 */
class DockerModeServerTest {

    @Test
    void dockerModeWarmsThePoolAndAgentsReachTheServerThroughTheirSidecar(@TempDir Path dir) throws Exception {
        DockerClient d = DockerTestEngine.require().api();
        try (TestServer server = TestServer.start(dir, Map.of("DOCKER_HOST", DockerTestEngine.host(),
                "RUN_ADAPTER", "docker", "SIDECAR_POOL_SIZE", "1"))) {
            DockerRunAdapter adapter = server.server().components().dockerRunAdapter();
            assertEquals("docker", adapter.name());
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (TestServer.json(server.get("/api/docker")).path("sidecar_pool_ready").asInt() < 1) {
                assertTrue(System.nanoTime() < deadline, "the pool never warmed");
                Thread.sleep(200);
            }
            JsonNode status = TestServer.json(server.get("/api/docker"));
            assertTrue(status.path("available").asBoolean());
            assertEquals("docker", status.path("run_adapter").asText());

            JsonNode resources = TestServer.json(server.get("/api/docker/resources"));
            JsonNode pooled = null;
            for (JsonNode c : resources.path("containers")) {
                if (c.path("name").asText().startsWith("appstrate-sidecar-pool-")) {
                    pooled = c;
                }
            }
            assertNotNull(pooled, resources.toString());
            assertEquals("pooled", pooled.path("state").asText());
            assertFalse(pooled.path("orphaned").asBoolean(), "this server's pool is not an orphan");

            // an internal network like a run's, the pooled sidecar on it as "sidecar", a client container beside it
            String net = "appstrate-exec-reach-test";
            d.createNetworkCmd().withName(net).withInternal(true).exec();
            String client = null;
            try {
                d.connectToNetworkCmd().withNetworkId(net).withContainerId(pooled.path("id").asText())
                        .withContainerNetwork(new ContainerNetwork().withAliases("sidecar")).exec();
                client = d.createContainerCmd(DockerTestEngine.TEST_IMAGE)
                        .withEntrypoint("wget", "-q", "-O-", "http://sidecar:8080/health")
                        .withHostConfig(HostConfig.newHostConfig().withNetworkMode(net)).exec().getId();
                d.startContainerCmd(client).exec();
                int code = d.waitContainerCmd(client).exec(new WaitContainerResultCallback()).awaitStatusCode();
                String out = logs(d, client);
                assertEquals(0, code, out);
                assertTrue(out.contains("\"status\""), "the server's /health answered through the sidecar: " + out);
            } finally {
                if (client != null) {
                    d.removeContainerCmd(client).withForce(true).exec();
                }
                d.disconnectFromNetworkCmd().withNetworkId(net).withContainerId(pooled.path("id").asText()).withForce(true).exec();
                new DockerRemover(DockerTestEngine.require()).removeNetwork(net);
            }
        }
        List<Container> left = d.listContainersCmd().withShowAll(true).withLabelFilter(List.of("appstrate.pool")).exec();
        assertTrue(left.stream().noneMatch(c -> c.getNames()[0].startsWith("/appstrate-sidecar-pool-")),
                "the pool is removed when the server stops");
    }

    private static String logs(DockerClient d, String id) throws InterruptedException {
        StringBuilder sb = new StringBuilder();
        d.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<
                com.github.dockerjava.api.model.Frame>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.Frame f) {
                sb.append(new String(f.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }).awaitCompletion();
        return sb.toString();
    }
}
