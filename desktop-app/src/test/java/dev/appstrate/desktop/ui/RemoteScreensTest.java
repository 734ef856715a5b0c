package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.ui.UiTesting.text;
import static dev.appstrate.desktop.ui.UiTesting.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.remote.OriginalFixtureServer;
import dev.appstrate.desktop.settings.SettingsStore;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The app in remote mode against the original (the fixture server replaying its recorded answers), started as a
 * launch starts it: a wrong key is refused at connect and fixed in place, the dashboard shows what the server
 * reports (no assumed database) and what the key lacks, a page the key may not read says so, and Restart now after
 * changing the remote settings reconnects in the same window.
 */
@ScreenTest
class RemoteScreensTest {
    @TempDir
    Path dataDir;
    private RemoteApp remote;
    private OriginalFixtureServer fixture;

    @BeforeEach
    void startFixture() {
        remote = new RemoteApp(dataDir);
        fixture = remote.fixture();
    }

    @AfterEach
    void stop() throws Exception {
        remote.close();
    }

    /** Presses a button wherever the scrolled page has put it (a click at its centre may land outside the viewport). */
    private static void fire(FxRobot robot, String id) {
        robot.interact(() -> robot.lookup(id).queryButton().fire());
    }

    @Test
    void aWrongKeyIsRefusedAtConnectAndFixedThereAndTheDashboardShowsWhatTheServerReports(FxRobot robot) throws Exception {
        remote.start(robot, "ask_not_a_real_key_0000000000000000");
        waitUntil(() -> robot.lookup("#connect-problem").tryQuery().isPresent());
        assertEquals("Invalid or expired API key", text(robot, "#connect-title"));
        assertTrue(remote.stage().getTitle().contains("not connected"), remote.stage().getTitle());
        assertTrue(fixture.requests().stream().noneMatch(r -> r.path().equals("/api/runs")),
                "no page was opened with a refused key");
        UiTesting.screenshot("remote-bad-key", remote.stage().getScene());

        robot.interact(() -> robot.lookup("#connect-key").queryAs(javafx.scene.control.TextField.class).setText(fixture.fullKey()));
        robot.clickOn("#connect-retry");
        remote.awaitShell();
        assertEquals(fixture.fullKey(), new SettingsStore(dataDir).load().remoteApiKey(), "the fixed key is saved");
        waitUntil(() -> "healthy".equals(text(robot, "#dash-status")));
        assertEquals(fixture.url(), text(robot, "#dash-url"));
        assertEquals("healthy", text(robot, "#dash-database"), "the original reports a healthy database, not which one");
        String connection = text(robot, "#dash-connection");
        assertTrue(connection.contains("not Appstrate Desktop") && connection.contains("API key valid"), connection);
        assertTrue(connection.contains("api-keys (create, read, revoke)")
                && connection.contains("model-provider-credentials (delete, read, write)"), connection);
        waitUntil(() -> text(robot, "#dash-docker").contains("not reported"));
        assertEquals("not reported by this server", text(robot, "#dash-adapter"), "the original has no run adapter to show, not a bare dash");
        UiTesting.screenshot("remote-dashboard", remote.stage().getScene());
    }

    @Test
    void whatTheKeyLacksIsShownWhereTheListWouldBeAndItsActionsAreHidden(FxRobot robot) throws Exception {
        remote.start(robot, fixture.fullKey());
        remote.awaitShell();
        robot.interact(() -> remote.app().shell().show(PageId.API_KEYS));
        waitUntil(() -> robot.lookup("#apikeys-message").queryAs(Labeled.class).getText().contains("lacks"));
        assertEquals("This API key lacks api-keys:read.", text(robot, "#apikeys-message"));
        TableView<?> table = robot.lookup("#apikeys-table").queryAs(TableView.class);
        assertTrue(((Labeled) table.getPlaceholder()).getText().startsWith("This API key lacks api-keys:read."));
        assertFalse(UiTesting.shown(robot.lookup("#apikeys-create").query()), "creating a key is hidden");
        assertEquals("This API key lacks api-keys:create.", text(robot, "#apikeys-create-denied"));
        UiTesting.screenshot("remote-api-keys-denied", remote.stage().getScene());

        robot.interact(() -> remote.app().shell().show(PageId.MODELS));
        waitUntil(() -> robot.lookup("#models-add-denied").tryQuery().map(Node::isVisible).orElse(false));
        assertFalse(UiTesting.shown(robot.lookup("#models-add-pane").query()), "adding a provider is hidden");
        TableView<?> providers = robot.lookup("#models-providers").queryAs(TableView.class);
        assertTrue(((Labeled) providers.getPlaceholder()).getText().contains("model-provider-credentials:read"));
        assertEquals("No model yet: an owner of the organization adds providers and their models.",
                ((Labeled) robot.lookup("#models-table").queryAs(TableView.class).getPlaceholder()).getText(),
                "an empty model list does not send the key's user to a form it cannot use");
        waitUntil(() -> robot.lookup("#models-table").queryAs(TableView.class).getItems().size() == 1);
        UiTesting.screenshot("remote-models-denied", remote.stage().getScene());

        // Secrets lists the same providers' keys: not "No model provider yet", but what the key lacks
        robot.interact(() -> remote.app().shell().show(PageId.SECRETS));
        TableView<?> keys = robot.lookup("#secrets-model-keys").queryAs(TableView.class);
        waitUntil(() -> ((Labeled) keys.getPlaceholder()).getText().startsWith("This API key lacks model-provider-credentials:read."));
        assertTrue(keys.getItems().isEmpty());
        waitUntil(() -> robot.lookup("#secrets-model-key-denied").tryQuery().map(Node::isVisible).orElse(false));
        assertFalse(UiTesting.shown(robot.lookup("#secrets-model-key-save").query()), "replacing a provider's key is hidden");
    }

    @Test
    void restartNowAfterChangingTheRemoteServerReconnectsInTheSameWindow(FxRobot robot) throws Exception {
        remote.start(robot, fixture.fullKey());
        remote.awaitShell();
        try (OriginalFixtureServer other = new OriginalFixtureServer()) {
            robot.interact(() -> remote.app().shell().show(PageId.SETTINGS));
            robot.interact(() -> {
                robot.lookup("#settings-remote-url").queryAs(javafx.scene.control.TextField.class).setText(other.url());
                robot.lookup("#settings-remote-key").queryAs(javafx.scene.control.TextField.class).setText(fixture.fullKey());
            });
            fire(robot, "#settings-save");
            // saving checks the server at once: the first server's key is refused by the other one
            waitUntil(() -> text(robot, "#settings-connect-result").startsWith("✗ Invalid or expired API key"));
            robot.interact(() -> robot.lookup("#settings-remote-key").queryAs(javafx.scene.control.TextField.class)
                    .setText(other.fullKey()));
            fire(robot, "#settings-save");
            waitUntil(() -> text(robot, "#settings-connect-result").startsWith("✓ Appstrate server"));
            UiTesting.screenshot("remote-settings-checked", remote.stage().getScene());
            assertEquals(other.fullKey(), new SettingsStore(dataDir).load().remoteApiKey(), "the checked key is the saved one");
            waitUntil(() -> robot.lookup("#settings-restart").query().isVisible());
            fire(robot, "#settings-restart");
            waitUntil(() -> remote.app().shell() != null && "app-shell".equals(remote.stage().getScene().getRoot().getId())
                    && robot.lookup("#dash-url").tryQuery().map(n -> other.url().equals(((Labeled) n).getText())).orElse(false));
            assertTrue(remote.stage().isShowing(), "Restart now keeps the app open");
            waitUntil(() -> "healthy".equals(text(robot, "#dash-status")));
        }
    }
}
