package dev.appstrate.desktop.ui.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.ModelsApi.Health;
import dev.appstrate.desktop.client.ModelsApi.Model;
import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.settings.SettingsStore;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Theme;
import java.nio.file.Path;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The model a user selected stays selected, with its buttons, when a test or an edit reloads the list (rows as the server sends them). */
@dev.appstrate.desktop.ui.ScreenTest
class ModelsSelectionTest {
    @TempDir
    static Path dataDir;
    static final AppstrateClient client = new AppstrateClient(new ServerEndpoint("http://127.0.0.1:9", "", true));
    ModelsPage page;

    @Start
    void start(Stage stage) {
        page = new ModelsPage(new DesktopContext(client, new SettingsStore(dataDir), dataDir));
        Scene scene = new Scene((javafx.scene.Parent) page.view(), 1200, 800);
        Theme.LIGHT.applyTo(scene);
        stage.setScene(scene);
        stage.show();
        page.viewModel().models().setAll(model("m1", true, Health.UNTESTED), model("m2", false, Health.UNTESTED));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    static Model model(String id, boolean isDefault, Health health) {
        return new Model(id, "Model " + id, id, "openai-compatible", "http://127.0.0.1:11434/v1", "cred_" + id, isDefault, health);
    }

    @Test
    void theSelectedModelStaysSelectedThroughTheReloadAfterItsTest(FxRobot robot) throws Exception {
        TableView<Model> table = robot.lookup("#models-table").queryTableView();
        Button edit = robot.lookup("#models-edit").queryButton();
        robot.interact(() -> table.getSelectionModel().select(1));
        String[] during = new String[1];
        robot.interact(() -> {
            // "Set as default" on m2 then its test: the server lists it first, tested
            page.viewModel().models().setAll(model("m2", true, new Health("ok", 12, "")), model("m1", false, Health.UNTESTED));
            during[0] = table.getSelectionModel().getSelectedItem() == null ? null : table.getSelectionModel().getSelectedItem().id();
        });
        assertEquals("m2", during[0], "selected inside the reload, not a moment later");
        assertEquals(0, (int) WaitForAsyncUtils.asyncFx(() -> table.getFocusModel().getFocusedIndex()).get());
        assertFalse(edit.isDisabled());
    }

    @Test
    void aModelNotTestedYetSaysSoAndWhatToDoNotSomethingThatReadsLikeAFailure(FxRobot robot) throws Exception {
        robot.interact(() -> page.viewModel().models().setAll(model("m1", true, Health.UNTESTED),
                model("m2", false, new Health("ok", 12, "")), model("m3", false, new Health("failed", 0, "refused"))));
        java.util.List<String> health = WaitForAsyncUtils.asyncFx(() -> robot.lookup("#models-table .table-row-cell").queryAll().stream()
                .map(row -> (javafx.scene.control.TableRow<?>) row).filter(row -> row.getItem() != null)
                .sorted(java.util.Comparator.comparingInt(javafx.scene.control.TableRow::getIndex))
                .map(row -> row.lookupAll(".table-cell").stream().map(c -> ((javafx.scene.control.TableCell<?, ?>) c))
                        .filter(c -> c.getTableColumn().getText().equals("Health")).findFirst().orElseThrow().getText())
                .toList()).get();
        assertEquals(java.util.List.of("○ untested: Test checks it", "✓ 12 ms", "✗ refused"), health);
    }
}
