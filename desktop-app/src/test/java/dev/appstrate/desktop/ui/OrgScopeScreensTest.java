package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.ui.UiTesting.text;
import static dev.appstrate.desktop.ui.UiTesting.waitUntil;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.settings.DesktopSettings;
import dev.appstrate.desktop.settings.SettingsStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The app in remote mode against our own server with a key made as the API Keys page makes it (no org:write): the
 * Models page lists the org's models but hides what would change them for every application, and says why; so do the
 * Docker page (removing resources: POST /api/docker/cleanup needs org:write), the Applications page (creating one:
 * refused to every API key, by the original and by ours) and the Secrets page (replacing a registered integration).
 */
@ScreenTest
class OrgScopeScreensTest {
    @TempDir
    Path dir;
    private EmbeddedServer server;
    private final AtomicReference<DesktopApp> app = new AtomicReference<>();
    private final AtomicReference<Stage> stage = new AtomicReference<>();

    @AfterEach
    void stop() throws Exception {
        if (app.get() != null) {
            WaitForAsyncUtils.asyncFx(() -> stage.get().hide()).get();
            app.get().stopForTests();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aPageMadeKeyCannotChangeTheOrgWideModelsAndTheModelsPageSaysSo(FxRobot robot) throws Exception {
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn"), dir.resolve("server"));
        String key;
        try (AppstrateClient owner = UiTesting.client(server)) {
            UiTesting.addModel(owner, "http://127.0.0.1:9/v1");
            key = owner.createApiKey("desktop").path("key").asText();
        }
        Path appData = dir.resolve("desktop");
        new SettingsStore(appData).save(DesktopSettings.defaults().withRemote(DesktopSettings.Mode.REMOTE, server.url(), key));
        robot.interact(() -> {
            stage.set(new Stage());
            app.set(DesktopApp.startFor(stage.get(), Map.of("LOG_LEVEL", "warn"), appData, null));
        });
        waitUntil(() -> app.get().shell() != null && "app-shell".equals(stage.get().getScene().getRoot().getId()));
        robot.interact(() -> app.get().shell().show(PageId.MODELS));
        waitUntil(() -> robot.lookup("#models-table").queryAs(TableView.class).getItems().size() == 1);
        assertTrue(UiTesting.shown(robot.lookup("#models-org-denied").query()));
        assertTrue(text(robot, "#models-org-denied").startsWith("This API key lacks org:write: models are shared by every application"),
                text(robot, "#models-org-denied"));
        for (String id : new String[] {"#models-default", "#models-edit", "#models-delete"}) {
            assertFalse(UiTesting.shown(robot.lookup(id).query()), id + " is hidden");
        }
        UiTesting.screenshot("remote-models-org-write", stage.get().getScene());

        robot.interact(() -> app.get().shell().show(PageId.APPLICATIONS));
        waitUntil(() -> robot.lookup("#apps-table").queryAs(TableView.class).getItems().size() == 1);
        assertTrue(UiTesting.shown(robot.lookup("#apps-create-denied").query()));
        assertTrue(text(robot, "#apps-create-denied").startsWith("An API key cannot create applications"), text(robot, "#apps-create-denied"));
        for (String id : new String[] {"#apps-create", "#apps-name"}) {
            assertFalse(UiTesting.shown(robot.lookup(id).query()), id + " is hidden");
        }
        assertTrue(UiTesting.shown(robot.lookup("#apps-use").query()), "working in its own application is still offered");
        UiTesting.screenshot("remote-applications-api-key", stage.get().getScene());

        // registering a new integration stays offered; the page says replacing one needs org:write
        robot.interact(() -> app.get().shell().show(PageId.SECRETS));
        waitUntil(() -> robot.lookup("#secrets-integrations-org-denied").tryQuery().isPresent());
        assertTrue(text(robot, "#secrets-integrations-org-denied").startsWith("This API key lacks org:write: integrations are shared"),
                text(robot, "#secrets-integrations-org-denied"));
        assertTrue(robot.lookup("#secrets-integrations-org-denied").query().isVisible());
        assertTrue(robot.lookup("#secrets-register").query().isVisible(), "registering a new integration is still offered");
        UiTesting.screenshot("remote-secrets-org-write", stage.get().getScene());

        // the Docker page's actions are hidden with the engine unavailable too: what the guard decided is on the nodes
        robot.interact(() -> app.get().shell().show(PageId.DOCKER));
        waitUntil(() -> robot.lookup("#docker-org-denied").tryQuery().isPresent());
        assertTrue(robot.lookup("#docker-org-denied").query().isVisible());
        assertTrue(text(robot, "#docker-org-denied").startsWith("This API key lacks org:write: Docker's containers"),
                text(robot, "#docker-org-denied"));
        for (String id : new String[] {"#docker-remove-selected", "#docker-clean-orphans"}) {
            assertFalse(robot.lookup(id).query().isVisible(), id + " is hidden");
        }
    }
}
