package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.ui.UiTesting.screenshot;
import static dev.appstrate.desktop.ui.UiTesting.text;
import static dev.appstrate.desktop.ui.UiTesting.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.ui.docker.CleanupDialog;
import dev.appstrate.desktop.ui.docker.DockerPage;
import dev.appstrate.desktop.ui.docker.ResourceRow;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import javafx.stage.Stage;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/**
 * The Docker screen against a real embedded server: with no engine it says why and how to fix it; with the
 * engine CI starts (DOCKER_HOST, see .ci/docker-up.sh) it lists and cleans up resources made here by hand.
 */
@ScreenTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerScreenTest {
    @TempDir
    Path dataDir;
    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    private DockerPage open(FxRobot robot, AppstrateClient client, EmbeddedServer server) throws Exception {
        AppShell shell = org.testfx.util.WaitForAsyncUtils.asyncFx(() -> UiTesting.show(stage, client, dataDir, server.runAdapter())).get();
        return UiTesting.open(robot, shell, "#nav-docker", DockerPage.class);
    }

    @Test
    @Order(1)
    void withoutAnEngineTheScreenSaysWhyAndHowToFixIt(FxRobot robot) throws Exception {
        try (EmbeddedServer server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn", "DOCKER_HOST", "unix:///nonexistent.sock"), dataDir);
             AppstrateClient client = UiTesting.client(server)) {
            DockerPage page = open(robot, client, server);
            waitUntil(() -> page.viewModel().loaded());
            assertFalse(page.viewModel().available());
            assertEquals("Docker is not available", text(robot, "#docker-headline"));
            assertTrue(text(robot, "#docker-reason").contains("/nonexistent.sock"), text(robot, "#docker-reason"));
            assertTrue(text(robot, "#docker-hint").startsWith("How to fix it: ") && text(robot, "#docker-hint").contains("DOCKER_HOST"),
                    text(robot, "#docker-hint"));
            assertFalse(UiTesting.shown(robot.lookup("#docker-tabs").query()), "no tables without an engine");
            assertTrue(text(robot, "#docker-runtime").contains("process"));
            screenshot("docker-unavailable", page.view().getScene());
        }
    }

    @Test
    @Order(2)
    void withAnEngineItListsManagedResourcesAndRemovesExactlyTheConfirmedOrphans(FxRobot robot) throws Exception {
        String host = System.getenv("DOCKER_HOST");
        assumeTrue(host != null && !host.isBlank(), "no Docker engine: set DOCKER_HOST (eval \"$(.ci/docker-up.sh)\")");
        DefaultDockerClientConfig cfg = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        try (DockerClient docker = DockerClientImpl.getInstance(cfg,
                new ZerodepDockerHttpClient.Builder().dockerHost(cfg.getDockerHost()).build())) {
            String image = anImage(docker);
            assumeTrue(image != null, "the engine has no image to create a container from");
            String runId = "run_desktoptest_" + UUID.randomUUID().toString().substring(0, 8);
            String container = "appstrate-agent-" + runId;
            String network = "appstrate-exec-" + runId;
            String volume = "appstrate-ws-" + runId;
            // what a crashed server would leave behind: a labelled agent container, its network and its workspace
            docker.createContainerCmd(image).withName(container).withCmd("true")
                    .withLabels(Map.of("appstrate.managed", "true", "appstrate.run", runId, "appstrate.adapter", "docker")).exec();
            docker.createNetworkCmd().withName(network).withInternal(true).withLabels(Map.of("appstrate.managed", "true")).exec();
            docker.createVolumeCmd().withName(volume).withLabels(Map.of("appstrate.managed", "true")).exec();
            // another orphan, to be unchecked in the confirmation and so kept
            String keep = "appstrate-ws-kept_" + runId;
            docker.createVolumeCmd().withName(keep).withLabels(Map.of("appstrate.managed", "true")).exec();
            Set<String> ours = Set.of(container, network, volume);
            try (EmbeddedServer server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn", "DOCKER_HOST", host), dataDir);
                 AppstrateClient client = UiTesting.client(server)) {
                DockerPage page = open(robot, client, server);
                waitUntil(() -> page.viewModel().available() && has(page.viewModel().containers(), container)
                        && has(page.viewModel().networks(), network) && has(page.viewModel().volumes(), volume));
                assertTrue(text(robot, "#docker-headline").startsWith("Docker "), text(robot, "#docker-headline"));
                ResourceRow row = find(page.viewModel().containers(), container);
                assertEquals(runId, row.runId());
                assertEquals("orphan", row.badge());
                assertEquals(image, row.image());
                screenshot("docker", page.view().getScene());

                robot.clickOn("#docker-clean-orphans");
                waitUntil(() -> page.lastDialog() != null && robot.lookup("#cleanup-list").tryQuery().isPresent());
                CleanupDialog dialog = page.lastDialog();
                List<ResourceRow> listed = List.copyOf(dialog.list().getItems());
                assertTrue(listed.stream().map(ResourceRow::name).toList().containsAll(ours), listed.toString());
                assertTrue(listed.stream().anyMatch(r -> r.name().equals(keep)), listed.toString());
                assertTrue(listed.stream().allMatch(ResourceRow::orphaned), "every orphan, nothing active");
                // keep everything that is not ours (other servers may share this engine): unchecked rows stay
                robot.interact(() -> listed.stream().filter(r -> !ours.contains(r.name())).forEach(r -> dialog.list().getCheckModel().clearCheck(r)));
                org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
                assertEquals("Remove 3", robot.lookup("#cleanup-remove").queryButton().getText(),
                        "checked: " + dialog.list().getCheckModel().getCheckedItems() + " listed: " + listed);
                screenshot("docker-cleanup", robot.lookup("#cleanup-dialog").query().getScene());
                robot.clickOn("#cleanup-remove");

                waitUntil(() -> text(robot, "#docker-result").startsWith("Removed 3"));
                waitUntil(() -> gone(() -> docker.inspectContainerCmd(container).exec()) && gone(() -> docker.inspectNetworkCmd().withNetworkId(network).exec())
                        && gone(() -> docker.inspectVolumeCmd(volume).exec()));
                waitUntil(() -> !has(page.viewModel().containers(), container) && !has(page.viewModel().volumes(), volume));
                assertFalse(page.viewModel().resultProperty().get().contains(keep), page.viewModel().resultProperty().get());
                assertFalse(gone(() -> docker.inspectVolumeCmd(keep).exec()), "the unchecked orphan is still there");
            } finally {
                quietly(() -> docker.removeContainerCmd(container).withForce(true).exec());
                quietly(() -> docker.removeNetworkCmd(network).exec());
                quietly(() -> docker.removeVolumeCmd(volume).exec());
                quietly(() -> docker.removeVolumeCmd(keep).exec());
            }
        }
    }

    private static String anImage(DockerClient docker) {
        List<String> tags = docker.listImagesCmd().exec().stream().map(Image::getRepoTags).filter(t -> t != null)
                .flatMap(Arrays::stream).filter(t -> !t.startsWith("<none>")).toList();
        return tags.contains("appstrate/sidecar:local") ? "appstrate/sidecar:local" : tags.stream().findFirst().orElse(null);
    }

    private static boolean has(List<ResourceRow> rows, String name) {
        return rows.stream().anyMatch(r -> r.name().equals(name));
    }

    private static ResourceRow find(List<ResourceRow> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    private static boolean gone(Callable<?> inspect) {
        try {
            inspect.call();
            return false;
        } catch (NotFoundException e) {
            return true;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // already gone
        }
    }
}
