package dev.appstrate.server.docker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.appstrate.server.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a crash leaves on the engine is removed at boot; nothing else is touched. */
class OrphanSweepTest {
    private static final String RUN = "x";
    private static final String UNLABELLED = "orphan-test-unlabelled";
    private static final String PIN = "appstrate-imagepin-test";

    @AfterEach
    void tidy() {
        DockerTestEngine.removeQuietly(UNLABELLED);
        DockerTestEngine.removeQuietly(PIN);
    }

    /** Docker mode with no pool, and the tiny local image as agent image so no runner image is built. */
    static Map<String, String> dockerMode() {
        return Map.of("DOCKER_HOST", DockerTestEngine.host(), "RUN_ADAPTER", "docker", "SIDECAR_POOL_SIZE", "0",
                "PI_IMAGE", DockerTestEngine.TEST_IMAGE);
    }

    @Test
    void processModeLeavesTheEngineAlone(@TempDir Path dir) {
        String c = DockerTestEngine.container("appstrate-agent-processmode", Map.of("appstrate.managed", "true",
                "appstrate.run", "processmode"), false);
        try (TestServer server = TestServer.start(dir, Map.of("DOCKER_HOST", DockerTestEngine.host()))) {
            assertTrue(DockerTestEngine.containerExists(c), "another Appstrate's container is not swept in process mode");
        } finally {
            DockerTestEngine.removeQuietly(c);
        }
    }

    @Test
    void bootRemovesManagedOrphansAndLeavesEverythingElse(@TempDir Path dir) {
        DockerClient d = DockerTestEngine.require().api();
        Map<String, String> managed = Map.of("appstrate.managed", "true", "appstrate.run", RUN, "appstrate.adapter", "docker");
        String running = DockerTestEngine.container("appstrate-agent-" + RUN, managed, true);
        String stopped = DockerTestEngine.container("appstrate-sidecar-" + RUN, managed, false);
        String integration = DockerTestEngine.container("appstrate-integ-test-" + RUN,
                Map.of("appstrate.managed", "true", "appstrate.run", RUN, "appstrate.adapter", "integration"), true);
        String unlabelled = DockerTestEngine.container(UNLABELLED, Map.of(), true);
        String pin = DockerTestEngine.container(PIN, Map.of("appstrate.role", "image-pin"), true);
        if (!DockerTestEngine.networkExists("appstrate-exec-" + RUN)) {
            d.createNetworkCmd().withName("appstrate-exec-" + RUN).withInternal(true).exec();
        }
        d.connectToNetworkCmd().withContainerId(running).withNetworkId("appstrate-exec-" + RUN).exec();
        d.createVolumeCmd().withName("appstrate-ws-" + RUN).exec();
        if (!DockerTestEngine.networkExists(DockerLabels.EGRESS_NETWORK)) {
            d.createNetworkCmd().withName(DockerLabels.EGRESS_NETWORK).exec();
        }

        try (TestServer server = TestServer.start(dir, dockerMode())) {
            assertFalse(DockerTestEngine.containerExists(running), "running managed container removed");
            assertFalse(DockerTestEngine.containerExists(stopped), "stopped managed container removed");
            assertFalse(DockerTestEngine.containerExists(integration), "integration runner removed");
            assertFalse(DockerTestEngine.networkExists("appstrate-exec-" + RUN), "run network removed");
            assertFalse(DockerTestEngine.volumeExists("appstrate-ws-" + RUN), "run volume removed");

            assertTrue(DockerTestEngine.containerExists(unlabelled), "unlabelled container untouched");
            assertTrue(d.inspectContainerCmd(unlabelled).exec().getState().getRunning(), "and still running");
            assertTrue(DockerTestEngine.containerExists(pin), "image-pin holder untouched");
            assertTrue(DockerTestEngine.networkExists(DockerLabels.EGRESS_NETWORK), "egress network untouched");
        }
    }

    @Test
    void gracefulShutdownRemovesPerRunNetworks(@TempDir Path dir) {
        DockerClient d = DockerTestEngine.require().api();
        try (TestServer server = TestServer.start(dir, dockerMode())) {
            d.createNetworkCmd().withName("appstrate-exec-y").withInternal(true).exec();
            assertTrue(DockerTestEngine.networkExists("appstrate-exec-y"));
        }
        assertFalse(DockerTestEngine.networkExists("appstrate-exec-y"), "removed on graceful shutdown");
    }
}
