package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.ui.UiTesting.text;
import static dev.appstrate.desktop.ui.UiTesting.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.settings.SettingsStore;
import dev.appstrate.desktop.ui.agents.AgentsViewModel;
import dev.appstrate.desktop.ui.schedules.SchedulesPage;
import dev.appstrate.desktop.ui.schedules.SchedulesViewModel;
import dev.appstrate.desktop.ui.settings.SettingsPage;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Scene;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * What a new user tripped over in a real window (session 11's walk), against a real embedded server and a model on
 * loopback that holds its answer while a run is in flight: a fresh server first (no agent installed), then one run.
 */
@ScreenTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NewUserTripsTest {
    @TempDir
    static Path dataDir;
    static EmbeddedServer server;
    static AppstrateClient client;
    static com.sun.net.httpserver.HttpServer model;
    static final CountDownLatch asked = new CountDownLatch(1);
    static final CountDownLatch release = new CountDownLatch(1);
    static final AtomicInteger restarts = new AtomicInteger();
    AppShell shell;

    @BeforeAll
    static void startServer() throws Exception {
        // a model that holds its answer until the class ends, as a slow provider does: the run stays in flight
        model = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        model.createContext("/", ex -> {
            asked.countDown();
            try {
                release.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        model.setExecutor(dev.appstrate.desktop.concurrent.NamedExecutors.namedDaemonPool("held-model", 4));
        model.start();
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn"), dataDir);
        client = UiTesting.client(server);
        UiTesting.addModel(client, "http://127.0.0.1:" + model.getAddress().getPort() + "/v1");
    }

    @AfterAll
    static void stopServer() {
        release.countDown();
        UiTesting.stopAll(client, server, null);
        model.stop(0);
    }

    @Start
    void start(Stage stage) {
        DesktopContext ctx = new DesktopContext(client, new SettingsStore(dataDir), dataDir);
        ctx.localRunAdapter(server.runAdapter());
        ctx.restartAction(restarts::incrementAndGet); // what DesktopApp.restart would do: counted, the server stays
        shell = new AppShell(ctx);
        Scene scene = new Scene(shell.root(), 1280, 820);
        Theme.LIGHT.applyTo(scene);
        shell.installShortcuts(scene);
        stage.setScene(scene);
        stage.show();
        shell.show(PageId.DASHBOARD);
    }

    @Test
    @Order(1)
    void withNoAgentInstalledTheAgentsPageAndTheScheduleDialogNameInDevelopmentsInstall(FxRobot robot) throws Exception {
        // the user made and ran an agent on In development: before, both pages only said to import one
        UiTesting.open(robot, shell, "#nav-agents", dev.appstrate.desktop.ui.agents.AgentsPage.class);
        waitUntil(() -> !text(robot, "#agents-message").isEmpty());
        assertEquals(AgentsViewModel.NO_AGENTS, text(robot, "#agents-message"));
        assertTrue(AgentsViewModel.NO_AGENTS.contains("In development (Install as version…)"));

        SchedulesPage page = UiTesting.open(robot, shell, "#nav-schedules", SchedulesPage.class);
        robot.clickOn("#schedules-new");
        waitUntil(() -> page.lastDialog() != null && robot.lookup("#schedule-error").tryQuery().isPresent()
                && !text(robot, "#schedule-error").isEmpty());
        assertEquals(SchedulesViewModel.NO_INSTALLED_AGENT, text(robot, "#schedule-error"));
        assertTrue(SchedulesViewModel.NO_INSTALLED_AGENT.contains("In development (Install as version…)"));
        Stage dialog = WindowChecks.windowWithRoot("schedule-dialog");
        WindowChecks.assertFits(dialog, robot.lookup("#schedules-new").query().getScene().getWindow());
        robot.interact(dialog::requestFocus);
        waitUntil(dialog::isFocused);
        robot.type(javafx.scene.input.KeyCode.ESCAPE);
        waitUntil(() -> !dialog.isShowing());
    }

    @Test
    @Order(2)
    void restartNowAsksFirstWhileARunIsInFlightAndSaysWhatBecomesOfIt(FxRobot robot) throws Exception {
        SettingsPage page = UiTesting.open(robot, shell, "#nav-settings", SettingsPage.class);
        // Enter in a field saves (it did nothing before: Save was not the default button)
        robot.clickOn("#settings-sidecar-pool-size").write("1");
        robot.type(javafx.scene.input.KeyCode.ENTER);
        waitUntil(() -> robot.lookup("#settings-restart").queryButton().isVisible());
        assertEquals("1", page.viewModel().server("SIDECAR_POOL_SIZE").get());

        // nothing in flight: Restart now restarts at once, as before
        robot.clickOn("#settings-restart");
        waitUntil(() -> restarts.get() == 1);

        // the run is in another application than the window's: a restart stops it too (only the window's was counted)
        AppstrateClient inOther = UiTesting.client(server);
        inOther.applicationId(client.createApplication("Scheduled jobs").path("id").asText());
        UiTesting.addAgent(inOther, "held", m -> { });
        String runId = inOther.runAgent("@local/held", DesktopJson.object(), null).path("id").asText();
        assertTrue(asked.await(120, TimeUnit.SECONDS), "the run's model call reached the model");
        try {
            robot.clickOn("#settings-restart");
            Stage ask = WindowChecks.windowWithRoot("confirm-dialog");
            WindowChecks.assertFits(ask, robot.lookup("#settings-restart").query().getScene().getWindow());
            assertEquals("Restart the server now?", ask.getTitle());
            String said = WaitForAsyncUtils.asyncFx(() -> WindowChecks.pane(ask).getContentText()).get();
            assertTrue(said.startsWith("1 run is in progress. Restarting the server stops it and marks it failed"), said);
            assertEquals(List.of("Restart", "Cancel"), WaitForAsyncUtils.asyncFx(() -> WindowChecks.pane(ask).getButtonTypes()
                    .stream().map(ButtonType::getText).toList()).get());
            UiTesting.screenshot("restart-with-runs-in-flight", ask.getScene());
            // Escape keeps the server (and the run)
            robot.interact(ask::requestFocus);
            waitUntil(ask::isFocused);
            robot.type(javafx.scene.input.KeyCode.ESCAPE);
            waitUntil(() -> !ask.isShowing());
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(1, restarts.get(), "cancelled: no restart");

            // Enter takes the action
            robot.clickOn("#settings-restart");
            Stage again = WindowChecks.windowWithRoot("confirm-dialog");
            robot.interact(again::requestFocus);
            waitUntil(again::isFocused);
            robot.type(javafx.scene.input.KeyCode.ENTER);
            waitUntil(() -> restarts.get() == 2);
        } finally {
            new dev.appstrate.desktop.client.RunsApi(inOther).cancel(runId);
        }
    }

    @Test
    @Order(3)
    void openSettingsToAllowAWebhookOnHttpLandsOnTheFieldThatAllowsIt(FxRobot robot) throws Exception {
        // the user had folded the server settings: the link unfolds them (the field could not take the focus, reviewer)
        UiTesting.open(robot, shell, "#nav-settings", SettingsPage.class);
        waitUntil(() -> robot.lookup("#settings-embedded-pane").tryQuery().isPresent());
        javafx.scene.control.TitledPane folded = robot.lookup("#settings-embedded-pane").queryAs(javafx.scene.control.TitledPane.class);
        robot.interact(() -> folded.setExpanded(false));
        waitUntil(() -> !folded.isExpanded());
        UiTesting.open(robot, shell, "#nav-webhooks", dev.appstrate.desktop.ui.webhooks.WebhooksPage.class);
        robot.clickOn("#webhooks-url").write("http://127.0.0.1:9/hook");
        robot.type(javafx.scene.input.KeyCode.ENTER);
        waitUntil(() -> robot.lookup("#webhooks-open-settings").query().isVisible());
        robot.clickOn("#webhooks-open-settings");
        waitUntil(() -> shell.currentPage() instanceof SettingsPage);
        // the field sits in a titled pane whose content joins the scene once its skin is made, a pulse later
        waitUntil(() -> robot.lookup("#settings-egress-allow-internal-hosts").tryQuery().isPresent());
        javafx.scene.control.TextField hosts = robot.lookup("#settings-egress-allow-internal-hosts").queryAs(javafx.scene.control.TextField.class);
        // before: Settings opened at its top, this field (the page's last) below the fold and the focus elsewhere
        waitUntil(hosts::isFocused);
        javafx.geometry.Bounds b = WaitForAsyncUtils.asyncFx(() -> hosts.localToScene(hosts.getLayoutBounds())).get();
        double sceneHeight = hosts.getScene().getHeight();
        assertTrue(b.getMinY() >= 0 && b.getMaxY() <= sceneHeight, "the field shows: " + b + " in a scene " + sceneHeight + " high");
        javafx.scene.Node content = robot.lookup("#page-area").query();
        javafx.geometry.Bounds area = WaitForAsyncUtils.asyncFx(() -> content.localToScene(content.getLayoutBounds())).get();
        assertTrue(b.getMinY() >= area.getMinY() && b.getMaxY() <= area.getMaxY(), "inside the page's area: " + b + " in " + area);
        assertTrue(text(robot, "#settings-egress-allow-internal-hosts-label").contains("webhooks"),
                "its name says it is about webhooks too");
    }
}
