package dev.appstrate.desktop.ui.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.appstrate.desktop.client.AppstrateClient;
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

/** The webhook a user selected, its deliveries and the delivery picked for Redeliver, across refreshes and polls. */
@dev.appstrate.desktop.ui.ScreenTest
class WebhooksSelectionTest {
    @TempDir
    static Path dataDir;
    static final AppstrateClient client = new AppstrateClient(new ServerEndpoint("http://127.0.0.1:9", "", true));
    WebhooksPage page;

    @Start
    void start(Stage stage) {
        page = new WebhooksPage(new DesktopContext(client, new SettingsStore(dataDir), dataDir));
        Scene scene = new Scene((javafx.scene.Parent) page.view(), 1200, 700);
        Theme.LIGHT.applyTo(scene);
        stage.setScene(scene);
        stage.show();
        page.viewModel().webhooks.setAll(hook("w1", true), hook("w2", true));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    static WebhookRow hook(String id, boolean enabled) {
        return new WebhookRow(id, "https://example.com/" + id, List.of("run.success"), enabled, "2026-12-07T10:00:00Z", "");
    }

    static DeliveryRow delivery(String id, String status, int attempt) {
        return new DeliveryRow(id, "w2", "run.success", status, "", "", attempt, 5, "", "", "2026-12-07T10:00:00Z");
    }

    @Test
    void aRefreshKeepsTheSelectedWebhookAndAPollKeepsTheDeliveryPickedForRedeliver(FxRobot robot) throws Exception {
        TableView<WebhookRow> table = robot.lookup("#webhooks-table").queryTableView();
        TableView<DeliveryRow> deliveries = robot.lookup("#webhooks-deliveries").queryTableView();
        Label below = robot.lookup("#webhooks-deliveries-placeholder").queryAs(Label.class);
        Button toggle = robot.lookup("#webhooks-toggle").queryButton();
        robot.interact(() -> table.getSelectionModel().select(1));
        List<Object> flickers = new ArrayList<>();
        ChangeListener<Object> seen = (o, was, now) -> flickers.add(now);
        robot.interact(() -> {
            below.textProperty().addListener(seen);
            page.viewModel().webhooks.setAll(hook("w0", true), hook("w2", false), hook("w1", true));
            below.getText();
            below.textProperty().removeListener(seen);
        });
        assertEquals(List.of(), flickers, "the deliveries below never lost their webhook");
        assertEquals("w2", WaitForAsyncUtils.asyncFx(() -> table.getSelectionModel().getSelectedItem().id()).get());
        assertEquals("Enable", toggle.getText(), "the buttons act on the refreshed row");

        robot.interact(() -> page.viewModel().deliveries.setAll(delivery("d1", "failed", 1), delivery("d2", "failed", 2)));
        robot.interact(() -> deliveries.getSelectionModel().select(0));
        // the 5-second poll: d1 was retried meanwhile
        robot.interact(() -> page.viewModel().deliveries.setAll(delivery("d3", "success", 1), delivery("d1", "retrying", 2),
                delivery("d2", "failed", 2)));
        assertEquals("d1", WaitForAsyncUtils.asyncFx(() -> deliveries.getSelectionModel().getSelectedItem().id()).get());
        assertEquals(false, robot.lookup("#webhooks-redeliver").queryButton().isDisabled());
    }
}
