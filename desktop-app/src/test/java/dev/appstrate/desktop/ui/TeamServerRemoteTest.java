package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.ui.UiTesting.text;
import static dev.appstrate.desktop.ui.UiTesting.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.settings.DesktopSettings;
import dev.appstrate.desktop.settings.SettingsStore;
import dev.appstrate.desktop.ui.agents.AgentsPage;
import dev.appstrate.desktop.ui.logs.LogLine;
import dev.appstrate.desktop.ui.runs.RunDetailPage;
import dev.appstrate.desktop.ui.schedules.ScheduleRow;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The desktop app in remote mode against a team deployment (two instances sharing PostgreSQL, Redis and S3), in a
 * real window: what it does on instance A — import an agent, run it and follow its live log, make a schedule — is
 * there when Settings → Restart now points it at instance B.
 */
@ScreenTest
class TeamServerRemoteTest {
    @TempDir
    Path dir;
    private TeamDeployment team;
    private ScriptedModelServer model;
    private final AtomicReference<DesktopApp> app = new AtomicReference<>();
    private final AtomicReference<Stage> stage = new AtomicReference<>();

    @AfterEach
    void stop() throws Exception {
        if (app.get() != null) {
            WaitForAsyncUtils.asyncFx(() -> stage.get().hide()).get();
            app.get().stopForTests();
        }
        for (AutoCloseable c : new AutoCloseable[] {team, model}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** Logs a line, then waits (bash) until the test creates {@code gate}, so the run is running while the line is checked. */
    private static ScriptedModelServer gatedModel(Path gate) {
        return ScriptedModelServer.builder()
                .turn(Turn.toolCall("log", Map.of("level", "info", "message", "hello from instance A")))
                .turn(Turn.toolCall("bash", Map.of("command", "while [ ! -f '" + gate + "' ]; do sleep 0.1; done; echo gate open")))
                .turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 7))), 5, 5))
                .start();
    }

    private static Path agentPackage(Path dir) throws Exception {
        String manifest = """
                {"name":"@local/teamwork","version":"1.0.0","type":"agent","schema_version":"0.1","display_name":"Team work",
                 "author":"tests","description":"Logs, waits for the test, answers","dependencies":{},
                 "runtime_tools":["output","log"],
                 "output":{"schema":{"type":"object","required":["answer"],"properties":{"answer":{"type":"integer"}}}}}
                """;
        return UiTesting.afps(dir.resolve("teamwork.afps"), manifest, "Log a greeting, run the command, report the answer.");
    }

    @Test
    void whatTheAppDoesOnInstanceAIsThereWhenItReconnectsToInstanceB(FxRobot robot) throws Exception {
        Assumptions.assumeTrue(UiTesting.realWindows(), "skipped: runs in the real-window lane only (set DISPLAY)");
        List<String> missing = TeamDeployment.missingEngines();
        Assumptions.assumeTrue(missing.isEmpty(), "skipped: needs PostgreSQL, Redis and S3 (.ci/run starts them); not set: " + missing);
        Path gate = dir.resolve("gate");
        model = gatedModel(gate);
        team = TeamDeployment.start(dir.resolve("instance-a"), dir.resolve("instance-b"));

        // an owner sets the model up (API keys never hold model-provider-credentials:*) and gives the desktop a key
        String key;
        try (AppstrateClient owner = new AppstrateClient(new ServerEndpoint(team.a.url(), TeamDeployment.OWNER_TOKEN, true))) {
            owner.applicationId(ServerBoot.chooseApplication(owner, ""));
            UiTesting.addModel(owner, model.baseUrl());
            key = owner.createApiKey("desktop").path("key").asText();
        }
        Path appData = dir.resolve("desktop");
        new SettingsStore(appData).save(DesktopSettings.defaults().withRemote(DesktopSettings.Mode.REMOTE, team.a.url(), key));
        robot.interact(() -> {
            stage.set(new Stage());
            app.set(DesktopApp.startFor(stage.get(), Map.of("LOG_LEVEL", "warn"), appData, null));
        });
        waitUntil(() -> app.get().shell() != null && "app-shell".equals(stage.get().getScene().getRoot().getId()));
        AppShell shell = app.get().shell();

        // on A: the agent is imported by dropping its package on the Agents page
        robot.interact(() -> shell.show(PageId.AGENTS));
        AgentsPage agents = (AgentsPage) shell.currentPage();
        Path afps = agentPackage(dir);
        robot.interact(() -> agents.dropFiles(List.of(afps.toFile())));
        waitUntil(() -> agents.viewModel().agents().stream().anyMatch(a -> a.id().equals("@local/teamwork")));

        // on A: run it; its log line shows in the run's live log while the run is still running
        robot.interact(() -> agents.select("@local/teamwork"));
        waitUntil(() -> agents.viewModel().detailProperty().get() != null);
        robot.interact(() -> robot.lookup("#agent-run").queryButton().fire());
        waitUntil(() -> robot.lookup("#run-dialog-run").tryQuery().isPresent());
        robot.interact(() -> robot.lookup("#run-dialog-run").queryButton().fire());
        waitUntil(() -> shell.currentPage() instanceof RunDetailPage);
        RunDetailPage run = (RunDetailPage) shell.currentPage();
        waitUntil(() -> run.logView().shownLines().stream().anyMatch(l -> l.message().contains("hello from instance A")));
        assertEquals("running", run.status(), "the line arrived live: the run waits for the gate");
        Files.writeString(gate, "open");
        waitUntil(() -> "success".equals(run.status()));
        String runId = run.runId();

        // on A: a schedule through the New schedule dialog
        robot.interact(() -> shell.show(PageId.SCHEDULES));
        robot.interact(() -> robot.lookup("#schedules-new").queryButton().fire());
        waitUntil(() -> robot.lookup("#schedule-cron").tryQuery().isPresent());
        ComboBox<String> agent = robot.lookup("#schedule-agent").queryComboBox();
        waitUntil(() -> agent.getItems().contains("@local/teamwork"));
        robot.interact(() -> {
            agent.setValue("@local/teamwork");
            robot.lookup("#schedule-cron").queryAs(TextField.class).setText("0 9 * * 1-5");
            robot.lookup("#schedule-name").queryAs(TextField.class).setText("Team standup");
        });
        waitUntil(() -> !robot.lookup("#schedule-save").queryButton().isDisabled());
        robot.interact(() -> robot.lookup("#schedule-save").queryButton().fire());
        TableView<ScheduleRow> schedules = robot.lookup("#schedules-table").queryTableView();
        waitUntil(() -> schedules.getItems().size() == 1);

        // Settings → Remote: instance B, same key → Restart now reconnects the same window to B
        robot.interact(() -> shell.show(PageId.SETTINGS));
        robot.interact(() -> robot.lookup("#settings-remote-url").queryAs(TextField.class).setText(team.b.url()));
        robot.interact(() -> robot.lookup("#settings-save").queryButton().fire());
        waitUntil(() -> text(robot, "#settings-connect-result").startsWith("✓ Appstrate Desktop server"));
        waitUntil(() -> robot.lookup("#settings-restart").query().isVisible());
        robot.interact(() -> robot.lookup("#settings-restart").queryButton().fire());
        waitUntil(() -> app.get().shell() != null && app.get().shell() != shell
                && robot.lookup("#dash-url").tryQuery().map(n -> team.b.url().equals(((Labeled) n).getText())).orElse(false));
        AppShell onB = app.get().shell();

        // on B: the agent, the run with its log, and the schedule
        robot.interact(() -> onB.show(PageId.AGENTS));
        AgentsPage agentsOnB = (AgentsPage) onB.currentPage();
        waitUntil(() -> agentsOnB.viewModel().agents().stream().anyMatch(a -> a.id().equals("@local/teamwork")));
        robot.interact(() -> onB.openRun(runId));
        waitUntil(() -> onB.currentPage() instanceof RunDetailPage r && "success".equals(r.status()));
        RunDetailPage runOnB = (RunDetailPage) onB.currentPage();
        waitUntil(() -> runOnB.logView().shownLines().stream().anyMatch(l -> l.message().contains("hello from instance A")));
        try { // the view adds what it loaded over its next pulses: the first line can be shown before the last
            waitUntil(() -> runOnB.logView().shownLines().stream().anyMatch(l -> l.message().equals("Tool result: bash")));
        } catch (java.util.concurrent.TimeoutException e) {
            // the assertion below lists what is shown
        }
        List<LogLine> lines = WaitForAsyncUtils.asyncFx(() -> List.copyOf(runOnB.logView().shownLines())).get();
        assertTrue(lines.stream().anyMatch(l -> l.message().equals("Tool result: bash")), "the whole log, not only the live part: " + lines);
        robot.interact(() -> onB.show(PageId.SCHEDULES));
        TableView<ScheduleRow> schedulesOnB = robot.lookup("#schedules-table").queryTableView();
        waitUntil(() -> schedulesOnB.getItems().stream().anyMatch(r -> r.name().equals("Team standup")));
    }
}
