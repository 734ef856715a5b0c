package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.ui.UiTesting.screenshot;
import static dev.appstrate.desktop.ui.UiTesting.text;
import static dev.appstrate.desktop.ui.UiTesting.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.Capability;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.SecretsApi;
import dev.appstrate.desktop.client.ServerCapabilities;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.ui.schedules.CronPreview;
import dev.appstrate.desktop.ui.schedules.ScheduleDialog;
import dev.appstrate.desktop.ui.schedules.ScheduleRow;
import dev.appstrate.desktop.ui.schedules.SchedulesPage;
import dev.appstrate.desktop.ui.secrets.SecretsPage;
import dev.appstrate.desktop.ui.webhooks.WebhooksPage;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/**
 * The automation and secrets screens as they work against a server with none of our extensions (the original):
 * the client is told the server supports nothing beyond the original's API, so it uses only the original's
 * operations and bodies — which our server also serves — and says "not available on this server" where a
 * screen needs more.
 */
@ScreenTest
class OriginalApiScreensTest {
    @TempDir
    static Path dataDir;
    static EmbeddedServer server;
    static AppstrateClient client;
    AppShell shell;

    @BeforeAll
    static void startServer() throws Exception {
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn", "EGRESS_ALLOW_INTERNAL_HOSTS", "127.0.0.1,localhost"), dataDir);
        client = UiTesting.client(server);
        UiTesting.addAgent(client, "nightly", m -> { });
        new SecretsApi(client).registerIntegration(DesktopJson.MAPPER.readTree("""
                {"name":"@acme/wiki","version":"1.0.0","type":"integration","display_name":"Acme Wiki",
                 "auths":{"token":{"type":"custom","authorized_uris":["https://wiki.example.com/**"],
                   "credentials":{"schema":{"type":"object","required":["api_token"],"properties":{
                     "api_token":{"type":"string","description":"Personal API token"},
                     "workspace":{"type":"string","description":"Workspace slug"}}}},
                   "delivery":{"http":{"in":"header","name":"Authorization","prefix":"Bearer ","value":"{$credential.api_token}"}}}}}"""));
        // what remote mode learns from the original: none of our extensions
        client.capabilities(new ServerCapabilities(false, EnumSet.noneOf(Capability.class), Set.of()));
    }

    @AfterAll
    static void stopServer() {
        UiTesting.stopAll(client, server, null);
    }

    @Start
    void start(Stage stage) {
        shell = UiTesting.show(stage, client, dataDir, server.runAdapter());
    }

    @Test
    void aScheduleIsCreatedWithItsPreviewComputedHereAndNoRunNow(FxRobot robot) throws Exception {
        SchedulesPage page = UiTesting.open(robot, shell, "#nav-schedules", SchedulesPage.class);
        waitUntil(() -> text(robot, "#schedules-empty").startsWith("No schedules yet"));
        assertEquals("", text(robot, "#schedules-message"), "one empty state, not a second one above the table");
        assertFalse(UiTesting.shown(robot.lookup("#schedules-run-now").query()), "the original has no run-now");
        robot.clickOn("#schedules-new");
        waitUntil(() -> page.lastDialog() != null && robot.lookup("#schedule-cron").tryQuery().isPresent());
        ScheduleDialog dialog = page.lastDialog();
        CronPreview preview = dialog.preview();
        ComboBox<String> agent = robot.lookup("#schedule-agent").queryComboBox();
        waitUntil(() -> agent.getItems().contains("@local/nightly") && agent.isFocused());
        waitUntil(() -> !preview.pendingProperty().get());
        assertEquals("", text(robot, "#schedule-cron-error"), "nothing typed is no error");
        robot.interact(() -> agent.setValue("@local/nightly"));
        robot.interact(() -> robot.lookup("#schedule-timezone").queryComboBox().setValue("Europe/Paris"));
        UiTesting.type(robot, "#schedule-cron", "0 9 * * 1-5");
        waitUntil(() -> !preview.pendingProperty().get() && preview.nextRuns().size() == CronPreview.COUNT && preview.nextRuns().stream().allMatch(t -> t.contains("09:00")));
        assertTrue(preview.nextRuns().stream().noneMatch(t -> t.startsWith("Sat") || t.startsWith("Sun")), preview.nextRuns().toString());
        assertEquals("at 09:00 every day between Monday and Friday", preview.descriptionProperty().get());
        Button save = robot.lookup("#schedule-save").queryButton();
        waitUntil(() -> !save.isDisabled());
        screenshot("original-schedule-dialog", save.getScene());
        robot.clickOn(save);

        TableView<ScheduleRow> table = robot.lookup("#schedules-table").queryTableView();
        waitUntil(() -> table.getItems().size() == 1);
        ScheduleRow row = table.getItems().get(0);
        assertEquals("@local/nightly", row.packageId());
        assertTrue(row.when().contains("at 09:00 every day between Monday and Friday"), row.when());
        JsonNode stored = client.get("/api/schedules", Map.of()).path("data").get(0);
        assertEquals("0 9 * * 1-5", stored.path("cron_expression").asText());
        assertEquals("Europe/Paris", stored.path("timezone").asText());
        assertFalse(stored.hasNonNull("name") && stored.get("name").asText().isEmpty(), "no empty name sent");
        waitUntil(() -> shell.notificationText().contains("Schedule saved"));
    }

    @Test
    void aWebhookIsCreatedWithTheOriginalsBody(FxRobot robot) throws Exception {
        WebhooksPage page = UiTesting.open(robot, shell, "#nav-webhooks", WebhooksPage.class);
        robot.clickOn("#webhooks-url").write("http://127.0.0.1:9/appstrate");
        robot.clickOn("#webhooks-create");
        waitUntil(() -> page.viewModel().secretOnce().startsWith("whsec_"));
        JsonNode hook = client.get("/api/webhooks", Map.of()).path("data").get(0);
        assertEquals("application", hook.path("level").asText());
        assertEquals(client.applicationId(), hook.path("applicationId").asText());
        assertFalse(UiTesting.shown(robot.lookup("#webhooks-redeliver").query()), "the original has no redeliver");
    }

    @Test
    void secretsSayWhatThisServerLacksAndAConnectionsFieldsComeFromItsManifest(FxRobot robot) throws Exception {
        SecretsPage page = UiTesting.open(robot, shell, "#nav-secrets", SecretsPage.class);
        waitUntil(() -> text(robot, "#secrets-encryption").equals("Not available on this server."));
        assertTrue(text(robot, "#secrets-connections-none").startsWith("Not available on this server."));
        assertFalse(UiTesting.allTexts().stream().anyMatch(t -> t.contains("not found")), "no raw 404 anywhere");

        ComboBox<Object> integration = robot.lookup("#secrets-integration").queryComboBox();
        waitUntil(() -> !integration.getItems().isEmpty());
        robot.interact(() -> integration.setValue(integration.getItems().get(0)));
        waitUntil(() -> page.field("api_token") != null && page.field("workspace") != null);
        Node label = robot.lookup("#secrets-fields").lookup((Label l) -> l.getText().equals("api_token *")).query();
        assertTrue(UiTesting.shown(label), "the required field is marked");

        robot.clickOn("#secrets-save");
        waitUntil(() -> text(robot, "#secrets-message").equals("Fill in the credentials first."));
        assertEquals(0, client.get("/api/integrations/@acme/wiki", Map.of()).path("auths").get(0).path("connections").size());

        robot.clickOn("#secrets-field-api_token-input").write("wiki-token-7Hq2");
        robot.clickOn("#secrets-save");
        waitUntil(() -> text(robot, "#secrets-auth-note").contains("connected (1)"));
        assertEquals(1, client.get("/api/integrations/@acme/wiki", Map.of()).path("auths").get(0).path("connections").size());
        screenshot("original-secrets", shell.root().getScene());

        robot.clickOn("#nav-docker");
        waitUntil(() -> text(robot, "#docker-headline").equals("Docker: not available on this server."));
        assertFalse(UiTesting.shown(robot.lookup("#docker-tabs").query()));
    }
}
