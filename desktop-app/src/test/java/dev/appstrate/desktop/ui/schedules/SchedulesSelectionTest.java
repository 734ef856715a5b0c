package dev.appstrate.desktop.ui.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.SchedulesApi.Schedule;
import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.settings.SettingsStore;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Theme;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.value.ChangeListener;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The schedule a user selected, its recent runs below and its buttons, across a refresh of the list (rows as the server sends them). */
@dev.appstrate.desktop.ui.ScreenTest
class SchedulesSelectionTest {
    @TempDir
    static Path dataDir;
    static final AppstrateClient client = new AppstrateClient(new ServerEndpoint("http://127.0.0.1:9", "", true));
    SchedulesPage page;

    @Start
    void start(Stage stage) {
        page = new SchedulesPage(new DesktopContext(client, new SettingsStore(dataDir), dataDir));
        Scene scene = new Scene((javafx.scene.Parent) page.view(), 1200, 600);
        Theme.LIGHT.applyTo(scene);
        stage.setScene(scene);
        stage.show();
        page.viewModel().schedules.setAll(row("s1", "nightly", true), row("s2", "hourly", true), row("s3", "weekly", true));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    static ScheduleRow row(String id, String name, boolean enabled) {
        return new ScheduleRow(new Schedule(id, name, "@local/greeter", "0 * * * *", "every hour", "UTC", enabled,
                "2026-12-07T18:00:00Z", "", null));
    }

    @Test
    void theNextRunIsWholeAt1024PixelsWideAndTheLastRunToo1280(FxRobot robot) throws Exception {
        TableView<ScheduleRow> table = robot.lookup("#schedules-table").queryTableView();
        robot.interact(() -> page.viewModel().schedules.setAll(new ScheduleRow(new Schedule("s1", "nightly", "@local/greeter",
                "0 2 * * *", "at 02:00", "Europe/Paris", true, "2026-12-09T01:00:00Z", "2026-12-08T01:00:00Z", null))));
        for (int window : new int[] {1024, 1280}) {
            javafx.stage.Window w = table.getScene().getWindow();
            dev.appstrate.desktop.ui.UiTesting.resize(w, true, w::getWidth, window - 190); // the sidebar takes 190 px
            assertEquals(List.of(), dev.appstrate.desktop.ui.UiTesting.cutCells(table,
                    window < 1280 ? java.util.Set.of("Next run") : java.util.Set.of("Next run", "Last run")), "cut at a " + window + " px window");
        }
    }

    @Test
    void aRefreshKeepsTheSelectedScheduleItsRecentRunsAndItsButtonsWithoutAFlicker(FxRobot robot) throws Exception {
        TableView<ScheduleRow> table = robot.lookup("#schedules-table").queryTableView();
        robot.interact(() -> table.getSelectionModel().select(1));
        Label recent = robot.lookup("#schedules-fires-placeholder").queryAs(Label.class);
        Button edit = robot.lookup("#schedules-edit").queryButton();
        Button toggle = robot.lookup("#schedules-toggle").queryButton();
        List<Object> flickers = new ArrayList<>();
        ChangeListener<Object> seen = (o, was, now) -> flickers.add(now);
        robot.interact(() -> {
            recent.textProperty().addListener(seen);
            edit.disabledProperty().addListener(seen);
            // another client paused it and added one before it
            page.viewModel().schedules.setAll(row("s0", "new", true), row("s1", "nightly", true), row("s3", "weekly", true),
                    row("s2", "hourly", false));
            recent.getText();
            edit.isDisabled();
            recent.textProperty().removeListener(seen);
            edit.disabledProperty().removeListener(seen);
        });
        assertEquals(List.of(), flickers, "the recent runs below and the buttons never lost the schedule");
        assertEquals("s2", WaitForAsyncUtils.asyncFx(() -> table.getSelectionModel().getSelectedItem().id()).get());
        assertEquals(3, (int) WaitForAsyncUtils.asyncFx(() -> table.getFocusModel().getFocusedIndex()).get());
        assertEquals("Resume", toggle.getText(), "the buttons act on the refreshed row");

        robot.interact(() -> page.viewModel().schedules.setAll(row("s0", "new", true), row("s1", "nightly", true)));
        assertEquals("Select a schedule to see its recent runs", recent.getText(), "deleted elsewhere: nothing selected");
        org.junit.jupiter.api.Assertions.assertTrue(edit.isDisabled());
    }
}
