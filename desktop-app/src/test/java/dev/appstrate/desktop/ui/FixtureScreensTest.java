package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.ui.UiTesting.text;
import static dev.appstrate.desktop.ui.UiTesting.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.remote.OriginalFixtureServer;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.ui.logs.LogLine;
import dev.appstrate.desktop.ui.runs.RunDetailPage;
import dev.appstrate.desktop.ui.schedules.CronPreview;
import dev.appstrate.desktop.ui.schedules.SchedulesPage;
import dev.appstrate.desktop.ui.webhooks.WebhooksPage;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Schedule and webhook creation against the original itself (the fixture server answering with its recorded
 * responses and checking every body against its request schemas), the app launched in remote mode as a user would:
 * the cron preview is computed here and no request names one of our extensions; a live log line the original sends
 * with {@code "message": null} is said from its event type.
 */
@ScreenTest
class FixtureScreensTest {
    @TempDir
    Path dataDir;
    private RemoteApp remote;
    private OriginalFixtureServer fixture;

    @BeforeEach
    void start(FxRobot robot) throws Exception {
        remote = new RemoteApp(dataDir);
        fixture = remote.fixture();
        remote.start(robot, fixture.fullKey());
        remote.awaitShell();
    }

    @AfterEach
    void stop() throws Exception {
        remote.close();
    }

    private List<OriginalFixtureServer.Recorded> sent(String method, String pathStart) {
        return fixture.requests().stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathStart)).toList();
    }

    @Test
    void aScheduleIsCreatedOnTheOriginalWithALocalPreview(FxRobot robot) throws Exception {
        robot.interact(() -> remote.app().shell().show(PageId.SCHEDULES));
        SchedulesPage page = (SchedulesPage) remote.app().shell().currentPage();
        robot.interact(() -> robot.lookup("#schedules-new").queryButton().fire());
        waitUntil(() -> page.lastDialog() != null && robot.lookup("#schedule-cron").tryQuery().isPresent());
        CronPreview preview = page.lastDialog().preview();
        ComboBox<String> agent = robot.lookup("#schedule-agent").queryComboBox();
        waitUntil(() -> !agent.getItems().isEmpty());
        String packageId = agent.getItems().get(0);
        robot.interact(() -> agent.setValue(packageId));
        UiTesting.type(robot, "#schedule-cron", "30 6 * * *");
        waitUntil(() -> !preview.pendingProperty().get() && preview.nextRuns().size() == CronPreview.COUNT && preview.nextRuns().stream().allMatch(t -> t.contains("06:30")));
        assertEquals("at 06:30", preview.descriptionProperty().get());
        Button save = robot.lookup("#schedule-save").queryButton();
        waitUntil(() -> !save.isDisabled());
        UiTesting.screenshot("fixture-schedule-dialog", save.getScene());
        robot.interact(save::fire);

        waitUntil(() -> !sent("POST", "/api/agents/").isEmpty());
        OriginalFixtureServer.Recorded created = sent("POST", "/api/agents/").get(0);
        assertEquals("/api/agents/" + packageId + "/schedules", created.path());
        assertEquals("30 6 * * *", created.json().path("cron_expression").asText());
        waitUntil(() -> fixture.state().schedules.stream().anyMatch(s -> "30 6 * * *".equals(s.path("cron_expression").asText())));
        assertTrue(sent("POST", "/api/schedules/preview").isEmpty(), "the preview was computed here, not asked of the original");
        assertTrue(fixture.requests().stream().noneMatch(r -> r.path().endsWith("/fires") || r.path().startsWith("/api/docker")),
                "no request to our extensions: " + fixture.requests());
    }

    @Test
    void aWebhookIsCreatedOnTheOriginalWithItsLevelAndApplication(FxRobot robot) throws Exception {
        robot.interact(() -> remote.app().shell().show(PageId.WEBHOOKS));
        WebhooksPage page = (WebhooksPage) remote.app().shell().currentPage();
        UiTesting.type(robot, "#webhooks-url", "https://hooks.example.com/appstrate");
        robot.interact(() -> robot.lookup("#webhooks-create").queryButton().fire());
        waitUntil(() -> !sent("POST", "/api/webhooks").isEmpty());
        JsonNode body = sent("POST", "/api/webhooks").get(0).json();
        assertEquals("application", body.path("level").asText());
        assertEquals(OriginalFixtureServer.APPLICATION_ID, body.path("applicationId").asText());
        assertEquals("https://hooks.example.com/appstrate", body.path("url").asText());
        waitUntil(() -> page.viewModel().secretOnce() != null && page.viewModel().secretOnce().startsWith("whsec_"));
        assertFalse(text(robot, "#webhooks-message").contains("not found"), text(robot, "#webhooks-message"));
    }

    @Test
    void liveLogLinesWithoutAMessageAreSaidFromTheirEventType(FxRobot robot) throws Exception {
        String packageId = fixture.state().agents.get(0).path("id").asText();
        String runId = fixture.state().newRun(packageId, "running").path("id").asText();
        int before = fixture.state().openStreams();
        WaitForAsyncUtils.asyncFx(() -> remote.app().shell().openRun(runId)).get();
        waitUntil(() -> remote.app().shell().currentPage() instanceof RunDetailPage);
        RunDetailPage detail = (RunDetailPage) remote.app().shell().currentPage();
        waitUntil(() -> fixture.state().openStreams() > before);
        fixture.state().push(runId, "run_log", DesktopJson.MAPPER.readTree("{\"id\":901,\"runId\":\"" + runId
                + "\",\"type\":\"result\",\"level\":\"info\",\"event\":\"output\",\"message\":null,"
                + "\"createdAt\":\"2026-11-29T03:43:44.134Z\"}"));
        waitUntil(() -> detail.logView().listView().getItems().stream().map(l -> l.format(false))
                .anyMatch(t -> t.equals("INFO   [output] structured output emitted")));
        assertTrue(detail.logView().listView().getItems().stream().map(LogLine::message).noneMatch(m -> m == null || m.isBlank()),
                "no empty line");
    }
}
