package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.ui.UiTesting.text;
import static dev.appstrate.desktop.ui.UiTesting.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.SchedulesApi;
import dev.appstrate.desktop.client.WebhooksApi;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.ui.agents.AgentsPage;
import dev.appstrate.desktop.ui.models.ModelsPage;
import dev.appstrate.desktop.ui.schedules.SchedulesPage;
import dev.appstrate.desktop.ui.secrets.SecretsPage;
import dev.appstrate.desktop.ui.webhooks.WebhooksPage;
import dev.appstrate.runner.testing.ScriptedModelServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * List pages used from the keyboard and the mouse against a real embedded server: Enter (or a double-click) on the
 * selected row does what the page's Edit / Open does, and an agent with a long name keeps its version in view.
 */
@ScreenTest
class OpenSelectedRowTest {
    private static final String LONG_NAME = "Quarterly revenue reconciliation across every regional subsidiary ledger";
    @TempDir
    static Path dataDir;
    static EmbeddedServer server;
    static ScriptedModelServer model;
    static AppstrateClient client;
    AppShell shell;
    Stage stage;

    @BeforeAll
    static void startServer() throws Exception {
        model = ScriptedModelServer.bashThenOutput("echo ok", Map.of("answer", 1));
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn", "EGRESS_ALLOW_INTERNAL_HOSTS", "127.0.0.1,localhost"), dataDir);
        client = UiTesting.client(server);
        UiTesting.addModel(client, model.baseUrl());
        UiTesting.addAgent(client, "ledger", m -> m.put("display_name", LONG_NAME));
        new SchedulesApi(client).create("@local/ledger", new SchedulesApi.Changes("Nightly ledger", "0 2 * * *", "UTC", true, null));
        new WebhooksApi(client).create("http://127.0.0.1:9/hooks", List.of("run.success"));
    }

    @AfterAll
    static void stopServer() {
        UiTesting.stopAll(client, server, model);
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        shell = UiTesting.show(stage, client, dataDir, server.runAdapter());
    }

    private static Node focused(FxRobot robot) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> robot.listTargetWindows().stream().filter(w -> w.isFocused() && w.getScene() != null)
                .map(w -> w.getScene().getFocusOwner()).findFirst().orElse(null)).get();
    }

    @Test
    void enterOnTheSelectedRowOpensItOnEveryListPage(FxRobot robot) throws Exception {
        AgentsPage agents = UiTesting.open(robot, shell, "#nav-agents", AgentsPage.class);
        waitUntil(() -> agents.viewModel().agents().size() == 1);
        robot.interact(() -> agents.select("@local/ledger"));
        waitUntil(() -> agents.viewModel().detailProperty().get() != null);
        robot.clickOn("#agents-list").type(KeyCode.ENTER);
        WindowChecks.escape(robot, WindowChecks.windowWithRoot("run-dialog"));

        SchedulesPage schedules = UiTesting.open(robot, shell, "#nav-schedules", SchedulesPage.class);
        TableView<?> scheduleTable = robot.lookup("#schedules-table").queryTableView();
        waitUntil(() -> scheduleTable.getItems().size() == 1);
        robot.interact(() -> scheduleTable.getSelectionModel().select(0));
        robot.doubleClickOn(robot.lookup("#schedules-table .table-row-cell").nth(0).queryAs(Node.class));
        waitUntil(() -> schedules.lastDialog() != null && robot.lookup("#schedule-name").tryQuery().isPresent());
        assertEquals("Nightly ledger", robot.lookup("#schedule-name").queryAs(TextField.class).getText(), "a double-click edits the row");
        WindowChecks.escape(robot, WindowChecks.windowWithRoot("schedule-dialog"));
        // keys go to the window that has the focus: the main window gets it back from the window manager, later
        robot.interact(scheduleTable::requestFocus);
        waitUntil(scheduleTable::isFocused);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> robot.lookup("#schedule-name").tryQuery().isPresent());
        assertEquals("Nightly ledger", robot.lookup("#schedule-name").queryAs(TextField.class).getText(), "Enter edits the row");
        WindowChecks.escape(robot, WindowChecks.windowWithRoot("schedule-dialog"));

        UiTesting.open(robot, shell, "#nav-webhooks", WebhooksPage.class);
        TableView<?> hooks = robot.lookup("#webhooks-table").queryTableView();
        waitUntil(() -> hooks.getItems().size() == 1);
        robot.interact(() -> {
            hooks.getSelectionModel().select(0);
            hooks.requestFocus();
        });
        waitUntil(hooks::isFocused);
        robot.type(KeyCode.ENTER);
        Node deliveries = robot.lookup("#webhooks-deliveries").query();
        waitUntil(() -> focused(robot) == deliveries);

        ModelsPage models = UiTesting.open(robot, shell, "#nav-models", ModelsPage.class);
        TableView<?> modelTable = robot.lookup("#models-table").queryTableView();
        waitUntil(() -> modelTable.getItems().size() == 1);
        robot.interact(() -> {
            modelTable.getSelectionModel().select(0);
            modelTable.requestFocus();
        });
        waitUntil(modelTable::isFocused);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> models.viewModel().editingProperty().get() != null);
        assertTrue(text(robot, "#models-add-pane").startsWith("Edit model"), text(robot, "#models-add-pane"));
        robot.interact(models.viewModel()::cancelEdit);

        UiTesting.open(robot, shell, "#nav-secrets", SecretsPage.class);
        TableView<?> keys = robot.lookup("#secrets-model-keys").queryTableView();
        waitUntil(() -> keys.getItems().size() == 1);
        robot.interact(() -> {
            keys.getSelectionModel().select(0);
            keys.requestFocus();
        });
        waitUntil(keys::isFocused);
        robot.type(KeyCode.ENTER);
        Node keyField = robot.lookup("#secrets-model-key-input").query();
        waitUntil(() -> focused(robot) == keyField);
        assertSame(keyField, focused(robot), "Enter on a provider's key goes to the field that replaces it");
    }

    @Test
    void aLongAgentNameIsShortenedWithItsVersionInViewAndTheListNeverScrollsSideways(FxRobot robot) throws Exception {
        UiTesting.windowSize(stage, WindowPlacement.MIN_WIDTH, WindowPlacement.MIN_HEIGHT);
        AgentsPage agents = UiTesting.open(robot, shell, "#nav-agents", AgentsPage.class);
        waitUntil(() -> agents.viewModel().agents().size() == 1);
        ListView<?> list = robot.lookup("#agents-list").queryListView();
        waitUntil(() -> robot.lookup("#agents-list .agent-cell-version").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        Label version = robot.lookup("#agents-list .agent-cell-version").queryAs(Label.class);
        Label name = robot.lookup("#agents-list .agent-cell-name").queryAs(Label.class);
        java.util.concurrent.Callable<String> seen = () -> WaitForAsyncUtils.asyncFx(() -> {
            StringBuilder out = new StringBuilder();
            var v = version.localToScene(version.getLayoutBounds());
            var l = list.localToScene(list.getLayoutBounds());
            if (!version.getText().startsWith("v1.0.0") || v.getMaxX() > l.getMaxX() + 0.5) {
                out.append("version \"").append(version.getText()).append("\" ends at ").append((int) v.getMaxX())
                        .append(", the list at ").append((int) l.getMaxX()).append("; ");
            }
            boolean cut = name.getChildrenUnmodifiable().stream().anyMatch(c -> c instanceof javafx.scene.text.Text t
                    && !t.getText().equals(name.getText()) && t.getText().endsWith(name.getEllipsisString()));
            if (!cut) {
                out.append("the long name is not shortened with an ellipsis; ");
            }
            if (name.getTooltip() == null && !(name.getParent().getParent() instanceof javafx.scene.control.Cell<?> c
                    && c.getTooltip() != null && c.getTooltip().getText().startsWith(LONG_NAME))) {
                out.append("no tooltip with the full name; ");
            }
            list.lookupAll(".scroll-bar").stream().filter(b -> b instanceof javafx.scene.control.ScrollBar s
                    && s.getOrientation() == javafx.geometry.Orientation.HORIZONTAL && s.isVisible())
                    .findAny().ifPresent(b -> out.append("the list scrolls sideways; "));
            return out.toString();
        }).get();
        try { // the cell is laid out on the window's own pulses
            waitUntil(() -> seen.call().isEmpty());
        } catch (java.util.concurrent.TimeoutException e) {
            // the assertion names what is wrong
        }
        assertEquals("", seen.call());
        UiTesting.screenshot("agents-long-name", stage.getScene());
    }
}
