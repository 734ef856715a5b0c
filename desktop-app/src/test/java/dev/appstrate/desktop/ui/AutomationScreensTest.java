package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.ui.UiTesting.screenshot;
import static dev.appstrate.desktop.ui.UiTesting.text;
import static dev.appstrate.desktop.ui.UiTesting.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.ui.schedules.CronPreview;
import dev.appstrate.desktop.ui.schedules.ScheduleDialog;
import dev.appstrate.desktop.ui.schedules.ScheduleRow;
import dev.appstrate.desktop.ui.schedules.SchedulesPage;
import dev.appstrate.desktop.ui.schedules.SchedulesViewModel;
import dev.appstrate.desktop.ui.webhooks.DeliveryRow;
import dev.appstrate.desktop.ui.webhooks.WebhooksPage;
import dev.appstrate.runner.testing.ScriptedModelServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Schedules and Webhooks screens against a real embedded server (loopback allowed as a webhook target,
 * as a developer testing a local receiver would set it), with a real receiver on loopback.
 */
@ScreenTest
class AutomationScreensTest {
    @TempDir
    static Path dataDir;
    static EmbeddedServer server;
    static ScriptedModelServer model;
    static AppstrateClient client;
    AppShell shell;

    @BeforeAll
    static void startServer() throws Exception {
        model = ScriptedModelServer.bashThenOutput("echo digest ready", Map.of("answer", 7));
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn", "EGRESS_ALLOW_INTERNAL_HOSTS", "127.0.0.1,localhost"), dataDir);
        client = UiTesting.client(server);
        UiTesting.addModel(client, model.baseUrl());
        UiTesting.addAgent(client, "digest", m -> m.putObject("input").set("schema", dev.appstrate.desktop.client.DesktopJson.MAPPER
                .valueToTree(Map.of("type", "object", "properties", Map.of("topic", Map.of("type", "string", "default", "news"))))));
    }

    @AfterAll
    static void stopServer() {
        UiTesting.stopAll(client, server, model);
    }

    @Start
    void start(Stage stage) {
        shell = UiTesting.show(stage, client, dataDir, server.runAdapter());
    }

    private static final java.util.regex.Pattern FIVE_MINUTES_IN_WORKING_HOURS =
            java.util.regex.Pattern.compile("\\b(09|1[0-7]):[0-5][05]\\b");

    private static void retype(FxRobot robot, TextField field, String text) throws Exception {
        robot.interact(field::clear);
        UiTesting.type(robot, field, text);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aScheduleShowsItsNextFireTimesAsTheExpressionIsTypedFlagsAnInvalidOneAndPausesResumesAndRunsNow(FxRobot robot)
            throws Exception {
        SchedulesPage page = UiTesting.open(robot, shell, "#nav-schedules", SchedulesPage.class);
        waitUntil(() -> text(robot, "#schedules-empty").startsWith("No schedules yet"));
        assertEquals("", text(robot, "#schedules-message"), "one empty state, not a second one above the table");
        robot.clickOn("#schedules-new");
        waitUntil(() -> page.lastDialog() != null && robot.lookup("#schedule-cron").tryQuery().isPresent());
        ScheduleDialog dialog = page.lastDialog();
        CronPreview preview = dialog.preview();
        ComboBox<String> agent = robot.lookup("#schedule-agent").queryComboBox();
        waitUntil(() -> agent.getItems().contains("@local/digest"));
        robot.interact(() -> agent.setValue("@local/digest"));
        waitUntil(() -> robot.lookup("#input-topic").tryQuery().isPresent());
        ComboBox<String> zone = robot.lookup("#schedule-timezone").queryComboBox();
        robot.interact(() -> zone.setValue("Europe/Paris"));
        Button save = robot.lookup("#schedule-save").queryButton();
        TextField cron = robot.lookup("#schedule-cron").queryAs(TextField.class);

        UiTesting.type(robot, cron, "0 9 * * *");
        waitUntil(() -> !preview.pendingProperty().get() && preview.nextRuns().size() == CronPreview.COUNT && preview.nextRuns().stream().allMatch(t -> t.contains("09:00")));
        assertFalse(preview.descriptionProperty().get().isEmpty());
        assertTrue(preview.nextRuns().stream().allMatch(t -> t.contains("(+01:00)") || t.contains("(+02:00)")),
                "times are in Europe/Paris: " + preview.nextRuns());

        retype(robot, cron, "30 18 * * 1-5");
        waitUntil(() -> !preview.pendingProperty().get() && preview.nextRuns().stream().allMatch(t -> t.contains("18:30")));
        assertTrue(preview.nextRuns().stream().noneMatch(t -> t.startsWith("Sat") || t.startsWith("Sun")), preview.nextRuns().toString());
        assertTrue(preview.descriptionProperty().get().toLowerCase().contains("18:30")
                || preview.descriptionProperty().get().contains("6:30"), preview.descriptionProperty().get());
        waitUntil(() -> !save.isDisabled());
        retype(robot, cron, "*/5 9-17 * * 1-5"); // a long description and the hint: both wrap, neither is cut
        // every five minutes in working hours, whatever the time the test runs at (09:05 is not among them after 09:05)
        waitUntil(() -> !preview.pendingProperty().get() && !preview.nextRuns().isEmpty()
                && preview.nextRuns().stream().allMatch(t -> FIVE_MINUTES_IN_WORKING_HOURS.matcher(t).find()));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(), WaitForAsyncUtils.asyncFx(() -> WindowChecks.cutLabels(save.getScene().getRoot())).get());
        retype(robot, cron, "30 18 * * 1-5");
        waitUntil(() -> !preview.pendingProperty().get() && preview.nextRuns().stream().allMatch(t -> t.contains("18:30")));
        screenshot("schedule-dialog", save.getScene());

        retype(robot, cron, "61 * * * *");
        waitUntil(() -> Boolean.TRUE.equals(dialog.validation().isInvalid()));
        String inline = text(robot, "#schedule-cron-error");
        assertTrue(inline.contains("Invalid cron expression"), inline);
        assertTrue(dialog.validation().getHighestMessage(cron).isPresent(), "the cron field itself is decorated");
        assertTrue(preview.nextRuns().isEmpty());
        assertTrue(save.isDisabled(), "an invalid expression cannot be saved");
        screenshot("schedule-dialog-invalid", save.getScene());

        retype(robot, cron, "30 18 * * 1-5");
        waitUntil(() -> !Boolean.TRUE.equals(dialog.validation().isInvalid()) && !save.isDisabled());
        assertEquals("", text(robot, "#schedule-cron-error"));
        robot.clickOn("#schedule-name").write("Evening digest");
        robot.clickOn(save);

        TableView<ScheduleRow> table = robot.lookup("#schedules-table").queryTableView();
        waitUntil(() -> table.getItems().size() == 1 && table.getSelectionModel().getSelectedItem() != null);
        ScheduleRow row = table.getItems().get(0);
        assertEquals("Evening digest", row.name());
        assertEquals("Europe/Paris", row.timezone());
        assertTrue(row.enabled() && row.nextRun().contains("18:30"), row.nextRun());
        assertEquals("news", row.schedule().input().path("topic").asText(), "the input form's default is saved");

        robot.clickOn("#schedules-toggle");
        waitUntil(() -> !table.getItems().get(0).enabled());
        assertEquals("— paused", table.getItems().get(0).nextRun());
        assertEquals("Resume", robot.lookup("#schedules-toggle").queryButton().getText());
        assertTrue(client.get("/api/schedules", Map.of()).path("data").get(0).path("next_run_at").isNull());
        robot.clickOn("#schedules-toggle");
        waitUntil(() -> table.getItems().get(0).enabled() && table.getItems().get(0).nextRun().contains("18:30"));

        robot.clickOn("#schedules-run-now");
        TableView<SchedulesViewModel.FireRow> fires = robot.lookup("#schedules-fires").queryTableView();
        waitUntil(() -> fires.getItems().size() == 1);
        waitUntil(() -> shell.notificationText().contains("run started"));
        // the page follows the run by itself (no Refresh): the fire shows how its run went, not "started"
        waitUntil(() -> fires.getItems().size() == 1 && fires.getItems().get(0).status().equals("success"));
        // a fire the page did not start (here another client's "run now") appears by itself too
        client.send("POST", "/api/schedules/" + row.id() + "/run", dev.appstrate.desktop.client.DesktopJson.object());
        waitUntil(() -> fires.getItems().size() == 2 && fires.getItems().stream().allMatch(f -> f.status().equals("success")));
        waitUntil(() -> !table.getItems().get(0).lastRun().isEmpty());
        screenshot("schedules", shell.root().getScene());

        // Delete…: the question names the schedule, the buttons name the action, and a notice says it is done
        robot.clickOn("#schedules-delete");
        Stage ask = WindowChecks.windowWithRoot("confirm-dialog");
        assertEquals("Delete schedule 'Evening digest'?", ask.getTitle());
        assertEquals(List.of("Delete", "Cancel"), WaitForAsyncUtils.asyncFx(() -> WindowChecks.pane(ask).getButtonTypes().stream()
                .map(javafx.scene.control.ButtonType::getText).toList()).get());
        robot.interact(() -> ((Button) WindowChecks.pane(ask).lookupButton(WindowChecks.pane(ask).getButtonTypes().get(0))).fire());
        waitUntil(() -> table.getItems().isEmpty());
        waitUntil(() -> shell.notificationText().equals("Deleted schedule 'Evening digest'"));
    }

    @Test
    void aWebhookIsCreatedWithItsSecretShownOnceAndItsSignedTestDeliveryAppearsInItsDeliveries(FxRobot robot) throws Exception {
        List<String[]> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new String[] {ex.getRequestHeaders().getFirst("webhook-id"), ex.getRequestHeaders().getFirst("webhook-timestamp"),
                    ex.getRequestHeaders().getFirst("webhook-signature"), body});
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try {
            WebhooksPage page = UiTesting.open(robot, shell, "#nav-webhooks", WebhooksPage.class);
            robot.clickOn("#webhooks-url").write("ftp://127.0.0.1/hooks");
            robot.clickOn("#webhooks-create");
            waitUntil(() -> text(robot, "#webhooks-message").contains("url must be an absolute https:// URL"));

            robot.interact(() -> robot.lookup("#webhooks-url").queryAs(TextField.class).clear());
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
            robot.clickOn("#webhooks-url").write(url);
            robot.clickOn("#webhooks-create");
            waitUntil(() -> page.viewModel().secretOnce().startsWith("whsec_"));
            String secret = robot.lookup("#webhooks-secret").queryAs(TextField.class).getText();
            assertEquals(page.viewModel().secretOnce(), secret);
            TableView<?> table = robot.lookup("#webhooks-table").queryTableView();
            waitUntil(() -> table.getItems().size() == 1 && table.getSelectionModel().getSelectedItem() != null);
            assertFalse(client.get("/api/webhooks", Map.of()).toString().contains(secret), "the secret is never listed again");

            // (a run started by the schedule test may also report here: only the pings are looked at)
            robot.clickOn("#webhooks-test");
            waitUntil(() -> pings(received).size() == 1);
            TableView<DeliveryRow> deliveries = robot.lookup("#webhooks-deliveries").queryTableView();
            waitUntil(() -> pingRows(deliveries).size() == 1);
            DeliveryRow d = pingRows(deliveries).get(0);
            assertEquals("test.ping", d.eventType());
            assertEquals("success", d.status());
            assertEquals("204", d.statusCode());
            assertEquals("1 / 1", d.attempts());
            String[] ping = pings(received).get(0);
            assertTrue(ping[3].contains("test.ping"), ping[3]);
            assertTrue(ping[2].contains(sign(secret, ping[0], ping[1], ping[3])), "signed with the secret shown once");
            waitUntil(() -> shell.notificationText().contains("success (HTTP 204)"));

            robot.interact(() -> deliveries.getSelectionModel().select(d));
            robot.clickOn("#webhooks-redeliver");
            waitUntil(() -> pings(received).size() == 2);
            assertEquals(ping[3], pings(received).get(1)[3], "the same event, sent again");
            waitUntil(() -> pingRows(deliveries).size() == 2 && pingRows(deliveries).stream().allMatch(x -> x.status().equals("success")));
            screenshot("webhooks", shell.root().getScene());

            robot.clickOn("#webhooks-secret-done");
            waitUntil(() -> page.viewModel().secretOnce().isEmpty());
            assertTrue(UiTesting.allTexts().stream().noneMatch(t -> t.contains(secret)), "the secret is gone from the screen");
        } finally {
            receiver.stop(0);
        }
    }

    private static List<String[]> pings(List<String[]> received) {
        return received.stream().filter(r -> r[3].contains("\"test.ping\"")).toList();
    }

    private static List<DeliveryRow> pingRows(TableView<DeliveryRow> deliveries) {
        return deliveries.getItems().stream().filter(r -> r.eventType().equals("test.ping")).toList();
    }

    /** Standard Webhooks, written here independently: base64(HMAC-SHA256(key, id.timestamp.body)). */
    private static String sign(String secret, String id, String timestamp, String body) throws Exception {
        String encoded = secret.substring("whsec_".length());
        byte[] key;
        try {
            key = Base64.getUrlDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            key = Base64.getDecoder().decode(encoded);
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }
}
