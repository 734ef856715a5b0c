package dev.appstrate.desktop.ui.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.settings.SettingsStore;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Theme;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The runs table as a user sorts and searches it (rows as the server sends them; no server needed for that). */
@dev.appstrate.desktop.ui.ScreenTest
class RunsTableTest {
    @TempDir
    static Path dataDir;
    static final AppstrateClient client = new AppstrateClient(new ServerEndpoint("http://127.0.0.1:9", "", true));
    RunsPage page;

    @Start
    void start(Stage stage) {
        page = new RunsPage(new DesktopContext(client, new SettingsStore(dataDir), dataDir));
        Scene scene = new Scene((javafx.scene.Parent) page.view(), 1200, 500);
        Theme.LIGHT.applyTo(scene);
        stage.setScene(scene);
        stage.show();
        page.viewModel().runs().setAll(List.of(
                row("run_a", "@local/greeter", "success", 19_500, "{\"topic\":\"weather\"}"),
                row("run_b", "@local/greeter", "success", 428, "{\"topic\":\"tides\"}"),
                row("run_c", "@local/digest", "failed", 3_000, "{}"),
                row("run_d", "@local/digest", "running", -1, "{}")));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static RunRow row(String id, String agent, String status, long ms, String input) {
        String[] a = agent.split("/");
        String json = "{\"id\":\"" + id + "\",\"agent_scope\":\"" + a[0] + "\",\"agent_name\":\"" + a[1] + "\",\"status\":\"" + status
                + "\",\"started_at\":\"2026-12-06T10:00:00Z\",\"duration\":" + (ms < 0 ? "null" : ms) + ",\"input\":" + input
                + (status.equals("failed") ? ",\"error\":\"Model request failed: the model provider at 127.0.0.1:1 is unreachable\"" : "")
                + "}";
        try {
            return RunRow.of(DesktopJson.MAPPER.readTree(json));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> ids(FxRobot robot) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> page.table().getItems().stream().map(RunRow::id).toList()).get();
    }

    @Test
    void theStartedTimeAndTheStatusAreWholeAt1024And1200PixelsWide(FxRobot robot) throws Exception {
        TableView<RunRow> table = page.table();
        robot.interact(() -> page.viewModel().replaceRows(List.of(row("run_e", "@local/greeter", "cancelled", 1_000, "{}"),
                row("run_a", "@local/greeter", "success", 19_500, "{}"))));
        for (int window : new int[] {1024, 1200}) {
            // the page's share of a window that wide: the sidebar takes 190 px
            javafx.stage.Window w = table.getScene().getWindow();
            dev.appstrate.desktop.ui.UiTesting.resize(w, true, w::getWidth, window - 190);
            List<String> cut = dev.appstrate.desktop.ui.UiTesting.cutCells(table, java.util.Set.of("Started", "Status"));
            assertEquals(List.of(), cut, "cut at a " + window + " px window");
        }
    }

    @Test
    void durationSortsByTimeNotByText(FxRobot robot) throws Exception {
        TableView<RunRow> table = page.table();
        TableColumn<RunRow, ?> duration = table.getColumns().stream().filter(c -> c.getText().equals("Duration")).findFirst().orElseThrow();
        robot.interact(() -> {
            duration.setSortType(TableColumn.SortType.ASCENDING);
            table.getSortOrder().setAll(List.of(duration));
        });
        assertEquals(List.of("run_d", "run_b", "run_c", "run_a"), ids(robot), "unknown, 428 ms, 3.0 s, 19.5 s");
        robot.interact(() -> duration.setSortType(TableColumn.SortType.DESCENDING));
        assertEquals(List.of("run_a", "run_c", "run_b", "run_d"), ids(robot));
    }

    @Test
    void searchFindsRunsByIdAgentErrorAndInput(FxRobot robot) throws Exception {
        dev.appstrate.desktop.ui.UiTesting.type(robot, "#runs-search", "tides");
        assertEquals(List.of("run_b"), ids(robot));
        robot.interact(() -> page.viewModel().searchProperty().set("unreachable"));
        assertEquals(List.of("run_c"), ids(robot));
        robot.interact(() -> page.viewModel().searchProperty().set("DIGEST"));
        assertEquals(2, ids(robot).size());
        robot.interact(() -> page.viewModel().searchProperty().set(""));
        assertEquals(4, ids(robot).size());
    }

    @Test
    void aRowClickedBeforeTheLoadStaysSelectedAndOpenable(FxRobot robot) throws Exception {
        robot.clickOn(robot.lookup("#runs-table .table-row-cell").nth(3).queryAs(javafx.scene.Node.class));
        dev.appstrate.desktop.ui.UiTesting.waitUntil(() -> WaitForAsyncUtils.asyncFx(() -> page.table().getSelectionModel()
                .getSelectedItem() != null).get());
        String clicked = WaitForAsyncUtils.asyncFx(() -> page.table().getSelectionModel().getSelectedItem().id()).get();
        // the page's load lands after the click: the same runs, one of them moved on
        robot.interact(() -> page.viewModel().replaceRows(List.of(
                row("run_a", "@local/greeter", "success", 19_500, "{\"topic\":\"weather\"}"),
                row("run_b", "@local/greeter", "success", 428, "{\"topic\":\"tides\"}"),
                row("run_c", "@local/digest", "failed", 3_000, "{}"),
                row("run_d", "@local/digest", "success", 2_000, "{}"))));
        assertEquals(clicked, WaitForAsyncUtils.asyncFx(() -> {
            RunRow r = page.table().getSelectionModel().getSelectedItem();
            return r == null ? null : r.id();
        }).get(), "the clicked run is still selected");
        org.junit.jupiter.api.Assertions.assertFalse(robot.lookup("#runs-open").queryButton().isDisabled(), "Open acts on it");
    }
}
