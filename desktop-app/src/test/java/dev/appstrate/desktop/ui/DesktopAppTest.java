// Over 400 lines on purpose: every scenario here needs the launched app (its own server and window), which the class starts once.
package dev.appstrate.desktop.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.ModelsApi;
import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.settings.SettingsStore;
import dev.appstrate.desktop.ui.agents.AgentsPage;
import dev.appstrate.desktop.ui.logs.LogLine;
import dev.appstrate.desktop.ui.runs.RunDetailPage;
import dev.appstrate.runner.testing.ScriptedModelServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Button;
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
 * The app against a real embedded server started by the launcher code (port 0, fresh data folder),
 * under headless Monocle; the only stand-in is the scripted model server for the LLM provider.
 */
@ScreenTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DesktopAppTest {
    @TempDir
    static Path dataDir;
    static EmbeddedServer server;
    static ScriptedModelServer model;
    static AppstrateClient client;
    AppShell shell;
    Stage stage;
    DesktopContext ctx;

    @BeforeAll
    static void startServer() throws Exception {
        model = ScriptedModelServer.bashThenOutput("echo hello from the agent; for i in 1 2 3; do echo line $i; done",
                Map.of("answer", 42));
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn"), dataDir);
        client = new AppstrateClient(new ServerEndpoint(server.url(), server.ownerToken().orElse(""), true));
        client.applicationId(ServerBoot.chooseApplication(client, ""));
    }

    @AfterAll
    static void stopServer() {
        UiTesting.stopAll(client, server, model);
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        DesktopContext ctx = new DesktopContext(client, new SettingsStore(dataDir), dataDir);
        this.ctx = ctx;
        ctx.localRunAdapter(server.runAdapter());
        shell = new AppShell(ctx);
        Scene scene = new Scene(shell.root(), 1280, 820);
        Theme.LIGHT.applyTo(scene);
        shell.installShortcuts(scene);
        stage.setScene(scene);
        stage.show();
        shell.show(PageId.DASHBOARD);
    }

    static void waitUntil(Callable<Boolean> condition) throws Exception {
        UiTesting.waitUntil(condition);
    }

    /** Clicks the page's sidebar entry and waits until it shows; when it does not, says where the entry and the window were. */
    void showPage(FxRobot robot, PageId id) throws Exception {
        javafx.scene.Node entry = robot.lookup("#" + id.navId()).query();
        robot.clickOn(entry);
        try {
            waitUntil(() -> shell.currentPage() != null && shell.currentPage().title().equals(id.title()));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(WaitForAsyncUtils.asyncFx(() -> id.title() + " not shown after a click on its entry at "
                    + entry.localToScreen(entry.getLayoutBounds()) + "; window " + WindowChecks.describe(stage) + " at screen "
                    + javafx.stage.Screen.getPrimary().getBounds() + "; shown: " + shell.currentPage().title()).get(), e);
        }
    }

    static String text(FxRobot robot, String query) {
        return UiTesting.text(robot, query);
    }

    void screenshot(FxRobot robot, String name) throws Exception {
        screenshot(name, stage.getScene());
    }

    static void screenshot(String name, Scene scene) throws Exception {
        UiTesting.screenshot(name, scene);
    }

    static Path agentPackage(Path dir, String name) throws Exception {
        String manifest = """
                {"name":"@local/%s","version":"1.0.0","type":"agent","schema_version":"0.1","display_name":"Greeter %s",
                 "author":"tests","description":"Says hello, then reports an answer","dependencies":{},
                 "runtime_tools":["output","log"],
                 "input":{"schema":{"type":"object","required":["topic"],"properties":{
                    "topic":{"type":"string","description":"What to talk about"},
                    "count":{"type":"integer","description":"How many lines","default":3},
                    "tone":{"type":"string","enum":["calm","loud"],"default":"calm"}}}},
                 "output":{"schema":{"type":"object","required":["answer"],"properties":{"answer":{"type":"integer"}}}}}
                """.formatted(name, name);
        return UiTesting.afps(dir.resolve(name + ".afps"), manifest, "Greet the user about {{topic}}, run the command, report the answer.");
    }

    @Test
    @Order(1)
    void launchShowsAHealthyDashboardForTheEmbeddedServer(FxRobot robot) throws Exception {
        waitUntil(() -> "healthy".equals(text(robot, "#dash-status")));
        assertEquals(server.url(), text(robot, "#dash-url"));
        assertTrue(text(robot, "#dash-database").contains("healthy"));
        assertEquals("0", text(robot, "#dash-active-runs"));
        assertEquals("process", text(robot, "#dash-adapter"));
        waitUntil(() -> !"…".equals(text(robot, "#dash-docker")));
        // the card's large value is the status alone; an engine's reason (if any) is the small line under it
        assertFalse(text(robot, "#dash-docker").contains(" — "), text(robot, "#dash-docker"));
        screenshot(robot, "dashboard");

        // first launch with no model: the welcome opens Models and reads in full, covering neither title nor buttons
        robot.interact(() -> Welcome.offerModelSetup(ctx));
        waitUntil(() -> shell.notificationText().startsWith("Welcome!") && shell.currentPage().title().equals("Models"));
        javafx.scene.control.Label note = robot.lookup("#notification-text").queryAs(javafx.scene.control.Label.class);
        String rendered = WaitForAsyncUtils.asyncFx(() -> note.getChildrenUnmodifiable().stream()
                .filter(n -> n instanceof javafx.scene.text.Text).map(n -> ((javafx.scene.text.Text) n).getText())
                .findFirst().orElse("")).get();
        assertEquals(note.getText(), rendered, "not cut off");
        assertTrue(rendered.endsWith("and pick the default."), rendered);
        javafx.scene.Node bar = robot.lookup("#notifications").query();
        javafx.scene.Node title = robot.lookup(".page-title").match(UiTesting::shown).query();
        javafx.scene.Node refresh = robot.lookup("Refresh").match(UiTesting::shown).query();
        javafx.geometry.Bounds barBounds = bar.localToScene(bar.getBoundsInLocal());
        assertFalse(barBounds.intersects(title.localToScene(title.getBoundsInLocal())), "the page title stays visible");
        assertFalse(barBounds.intersects(refresh.localToScene(refresh.getBoundsInLocal())), "header buttons stay clickable");
        // nor the fields it asks the user to fill in: the API key and Model fields stay uncovered while it shows
        javafx.geometry.Bounds barBox = WaitForAsyncUtils.asyncFx(() -> bar.localToScene(bar.getLayoutBounds())).get();
        for (String field : List.of("#models-base-url", "#models-api-key", "#models-model-id", "#models-label")) {
            javafx.scene.Node f = robot.lookup(field).query();
            assertFalse(WaitForAsyncUtils.asyncFx(() -> barBox.intersects(f.localToScene(f.getLayoutBounds()))).get(),
                    field + " stays uncovered by the welcome");
        }
        screenshot(robot, "welcome");
        javafx.geometry.Bounds refreshShown = WaitForAsyncUtils.asyncFx(() -> refresh.localToScene(refresh.getBoundsInLocal())).get();
        robot.clickOn("#notification-close");
        waitUntil(() -> shell.notificationText().isEmpty());
        // the strip is under the page: hiding it (as it does by itself after a few seconds) moves no header button
        assertEquals(refreshShown, WaitForAsyncUtils.asyncFx(() -> refresh.localToScene(refresh.getBoundsInLocal())).get());
    }

    @Test
    @Order(2)
    void anErrorCoversNoFieldAndStaysWithItsPage(FxRobot robot) throws Exception {
        robot.interact(() -> shell.show(PageId.MODELS));
        robot.interact(() -> shell.error("The provider at 127.0.0.1:9 is unreachable (connection refused): check the base URL, "
                + "then test it again."));
        waitUntil(() -> shell.notificationText().startsWith("⚠ The provider"));
        // the error takes its own room under the page: none of the page (the form's right edge included) lies under it
        javafx.scene.Node bar = robot.lookup("#notifications").query();
        javafx.scene.Node pageArea = robot.lookup("#page-area").query();
        double barTop = WaitForAsyncUtils.asyncFx(() -> bar.localToScene(bar.getLayoutBounds()).getMinY()).get();
        double pageBottom = WaitForAsyncUtils.asyncFx(() -> pageArea.localToScene(pageArea.getLayoutBounds()).getMaxY()).get();
        assertTrue(pageBottom <= barTop + 0.5, "page ends at " + pageBottom + ", the error starts at " + barTop);
        for (String field : List.of("#models-base-url", "#models-api-key", "#models-model-id", "#models-label")) {
            javafx.scene.Node f = robot.lookup(field).query();
            assertFalse(WaitForAsyncUtils.asyncFx(() -> bar.localToScene(bar.getLayoutBounds())
                    .intersects(f.localToScene(f.getLayoutBounds()))).get(), field + " stays uncovered");
        }
        // a notice about Models does not follow the user to Runs
        UiTesting.open(robot, shell, "#nav-runs", dev.appstrate.desktop.ui.runs.RunsPage.class);
        waitUntil(() -> shell.notificationText().isEmpty());
    }

    @Test
    @Order(2)
    void modelsScreenAddsAProviderAndItsModel(FxRobot robot) throws Exception {
        robot.clickOn("#nav-models");
        waitUntil(() -> robot.lookup("#models-table").tryQuery().isPresent());
        javafx.scene.control.ComboBox<?> modelId = robot.lookup("#models-model-id").queryAs(javafx.scene.control.ComboBox.class);
        assertEquals(List.of(), org.testfx.util.WaitForAsyncUtils.asyncFx(() -> WindowChecks.cutPrompts(
                robot.lookup("#models-base-url").queryAs(javafx.scene.control.TextField.class),
                robot.lookup("#models-api-key").queryAs(javafx.scene.control.TextField.class),
                modelId.getEditor(), robot.lookup("#models-label").queryAs(javafx.scene.control.TextField.class))).get());
        robot.clickOn("#models-base-url").write(model.baseUrl());
        robot.clickOn("#models-api-key").write("sk-scripted");
        robot.clickOn("#models-model-id").write("scripted-model");
        robot.clickOn("#models-label").write("Scripted");
        robot.type(javafx.scene.input.KeyCode.ENTER); // Enter in the form submits it, as in a dialog
        javafx.scene.control.TableView<?> table = robot.lookup("#models-table").queryTableView();
        waitUntil(() -> table.getItems().size() == 1);
        robot.interact(() -> table.getSelectionModel().select(0));
        robot.clickOn("#models-default");
        waitUntil(() -> new ModelsApi(client).models().get(0).isDefault());
        // Test model reaches the model's own provider (it posted to .../model-provider-credentials//test before)
        robot.interact(() -> table.getSelectionModel().select(0));
        robot.clickOn("#models-test");
        waitUntil(() -> shell.notificationText().matches("Scripted: the provider answered in \\d+ ms\\."));
        waitUntil(() -> robot.lookup("#models-providers").queryTableView().getItems().size() == 1);
        screenshot(robot, "models");
    }

    @Test
    @Order(3)
    void agentsAreImportedByFileChooserPathAndByDropWithErrorsPerField(FxRobot robot, @TempDir Path files) throws Exception {
        AgentsPage page = UiTesting.open(robot, shell, "#nav-agents", AgentsPage.class);
        Path greeter = agentPackage(files, "greeter");
        robot.interact(() -> page.viewModel().importFile(greeter.toAbsolutePath(), () -> { }));
        waitUntil(() -> page.viewModel().agents().stream().anyMatch(a -> a.id().equals("@local/greeter")));

        robot.interact(() -> page.dropFiles(List.of(agentPackageFile(files, "dropped"))));
        waitUntil(() -> page.viewModel().agents().stream().anyMatch(a -> a.id().equals("@local/dropped")));

        Path bad = files.resolve("bad.afps");
        Files.write(bad, "not a zip at all".getBytes(StandardCharsets.UTF_8));
        robot.interact(() -> page.dropFiles(List.of(bad.toFile())));
        waitUntil(() -> !page.viewModel().importErrors().isEmpty());
        assertTrue(page.viewModel().importErrors().get(0).startsWith("bad.afps: "), page.viewModel().importErrors().toString());

        UiTesting.type(robot, "#agents-search", "drop");
        waitUntil(() -> robot.lookup("#agents-list").queryListView().getItems().size() == 1);
        screenshot(robot, "agents");
    }

    private static File agentPackageFile(Path dir, String name) {
        try {
            return agentPackage(dir, name).toFile();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    @Order(4)
    void runFromTheGeneratedFormStreamsLogsThatCanBeSearchedFilteredAndExported(FxRobot robot, @TempDir Path out) throws Exception {
        AgentsPage page = UiTesting.open(robot, shell, "#nav-agents", AgentsPage.class);
        waitUntil(() -> page.viewModel().agents().stream().anyMatch(a -> a.id().equals("@local/greeter")));
        robot.interact(() -> page.select("@local/greeter"));
        waitUntil(() -> page.viewModel().detailProperty().get() != null
                && page.viewModel().detailProperty().get().id().equals("@local/greeter"));
        robot.clickOn("#agent-run");
        waitUntil(() -> robot.lookup("#input-topic").tryQuery().isPresent());
        Button run = robot.lookup("#run-dialog-run").queryButton();
        waitUntil(run::isDisabled);
        robot.clickOn("#input-topic").write("the weather");
        waitUntil(() -> !run.isDisabled());
        robot.doubleClickOn("#input-count").write("4");
        screenshot("run-dialog", robot.lookup("#run-dialog").query().getScene());
        robot.clickOn("#run-dialog-run");

        waitUntil(() -> shell.currentPage() instanceof RunDetailPage);
        RunDetailPage detail = (RunDetailPage) shell.currentPage();
        waitUntil(() -> "success".equals(detail.status()));
        // the view adds lines over its pulses: wait for the tool's, not for the first
        waitUntil(() -> detail.logView().shownLines().stream().anyMatch(l -> l.message().contains("bash") || l.event().contains("tool")));
        assertTrue(detail.output().contains("42"), detail.output());
        assertTrue(detail.input().contains("\"topic\" : \"the weather\""), detail.input());
        assertEquals("Scripted", detail.model());
        List<LogLine> lines = WaitForAsyncUtils.asyncFx(() -> List.copyOf(detail.logView().shownLines())).get();
        assertTrue(lines.stream().anyMatch(l -> l.message().contains("bash") || l.event().contains("tool")), lines.toString());

        robot.interact(() -> detail.logView().search("run"));
        waitUntil(() -> detail.logView().matchCountProperty().get() > 0);
        robot.clickOn("#log-next");
        waitUntil(() -> detail.logView().currentMatchId() > 0);
        robot.interact(() -> detail.logView().minLevelProperty().set(dev.appstrate.desktop.ui.logs.LogLevel.ERROR));
        waitUntil(() -> detail.logView().shownLines().stream().allMatch(l -> l.level() == dev.appstrate.desktop.ui.logs.LogLevel.ERROR));
        robot.interact(() -> detail.logView().minLevelProperty().set(dev.appstrate.desktop.ui.logs.LogLevel.DEBUG));
        robot.interact(() -> detail.logView().search(""));
        screenshot(robot, "run-detail");

        // Run again (Ctrl+R) opens a new run with the same input, fresh: following, no search, every level
        String firstRun = detail.runId();
        robot.interact(() -> {
            detail.logView().followProperty().set(false);
            detail.logView().search("weather");
            detail.logView().minLevelProperty().set(dev.appstrate.desktop.ui.logs.LogLevel.WARN);
        });
        robot.press(javafx.scene.input.KeyCode.CONTROL).press(javafx.scene.input.KeyCode.R)
                .release(javafx.scene.input.KeyCode.R).release(javafx.scene.input.KeyCode.CONTROL);
        waitUntil(() -> !detail.runId().equals(firstRun) && "success".equals(detail.status()));
        assertTrue(detail.logView().followProperty().get());
        assertEquals("", detail.logView().searchField().getText());
        assertEquals(dev.appstrate.desktop.ui.logs.LogLevel.DEBUG, detail.logView().minLevelProperty().get());
        waitUntil(() -> detail.input().contains("the weather"));
        waitUntil(() -> !detail.logView().shownLines().isEmpty());
        assertTrue(robot.lookup("#log-list").queryListView().getItems().size() > 0, "the list agrees with the count");

        Path file = out.resolve("run.log");
        long exported = WaitForAsyncUtils.asyncFx(() -> detail.exportTo(file)).get().get(30, TimeUnit.SECONDS);
        assertEquals(exported, Files.readAllLines(file).size());
        assertTrue(exported >= lines.size(), "the export comes from the server, not only the view");

        robot.clickOn("#nav-runs");
        waitUntil(() -> robot.lookup("#runs-table").queryTableView().getItems().size() >= 1);
        assertEquals("success", ((dev.appstrate.desktop.ui.runs.RunRow) robot.lookup("#runs-table").queryTableView()
                .getItems().get(0)).status());
        waitUntil(() -> text(robot, "#runs-live").equals("● live"));
        screenshot(robot, "runs");
    }

    @Test
    @Order(5)
    void everyPlaceInTheSidebarRendersAndKeyboardShortcutsReachThem(FxRobot robot) throws Exception {
        // these screens are captured with data by their own tests (AutomationScreensTest, SecretsScreenTest, DockerScreenTest)
        java.util.Set<PageId> capturedElsewhere = java.util.EnumSet.of(PageId.SCHEDULES, PageId.WEBHOOKS, PageId.SECRETS, PageId.DOCKER);
        for (PageId id : PageId.values()) {
            showPage(robot, id);
            if (!capturedElsewhere.contains(id)) {
                WaitForAsyncUtils.sleep(300, TimeUnit.MILLISECONDS);
                screenshot(robot, id.navId().substring(4));
            }
        }
        robot.press(javafx.scene.input.KeyCode.CONTROL).press(javafx.scene.input.KeyCode.DIGIT3)
                .release(javafx.scene.input.KeyCode.DIGIT3).release(javafx.scene.input.KeyCode.CONTROL);
        waitUntil(() -> shell.currentPage().title().equals("Runs"));
        assertTrue(robot.lookup("#docker-status").tryQuery().isEmpty(), "only the current page is shown");
    }

    @Test
    @Order(6)
    void apiKeysAndApplicationsAreManagedFromTheirScreens(FxRobot robot) throws Exception {
        // in a real window the click on the sidebar is still on its way when the FX queue is empty: wait for the page
        UiTesting.open(robot, shell, "#nav-api-keys", dev.appstrate.desktop.ui.apikeys.ApiKeysPage.class);
        robot.clickOn("#apikeys-name").write("CI key");
        robot.clickOn("#apikeys-create");
        waitUntil(() -> robot.lookup("#apikeys-new-key").queryTextInputControl().getText().startsWith("ask_"));
        waitUntil(() -> robot.lookup("#apikeys-table").queryTableView().getItems().size() == 1);
        screenshot(robot, "api-keys");

        // the same client against "a remote server": URL + API key, no application header needed
        String rawKey = robot.lookup("#apikeys-new-key").queryTextInputControl().getText();
        try (AppstrateClient remote = new AppstrateClient(new ServerEndpoint(server.url(), rawKey, false))) {
            assertTrue(remote.endpoint().apiKey());
            assertEquals(client.agents().path("data").size(), remote.agents().path("data").size());
            assertTrue(remote.agents().path("data").size() >= 2);
        }

        UiTesting.open(robot, shell, "#nav-applications", dev.appstrate.desktop.ui.applications.ApplicationsPage.class);
        robot.clickOn("#apps-name").write("Staging");
        robot.clickOn("#apps-create");
        waitUntil(() -> robot.lookup("#apps-table").queryTableView().getItems().size() == 2);
        screenshot(robot, "applications");
    }

    @Test
    @Order(7)
    void darkThemeAppliesAtOnceAndServerSettingsAskForARestart(FxRobot robot) throws Exception {
        UiTesting.open(robot, shell, "#nav-settings", dev.appstrate.desktop.ui.settings.SettingsPage.class);
        robot.interact(() -> ((org.controlsfx.control.ToggleSwitch) robot.lookup("#settings-dark").query()).setSelected(true));
        waitUntil(() -> stage.getScene().getStylesheets().stream().anyMatch(s -> s.endsWith("dark.css")));
        // a fixed choice is a choice box, labelled in words with the variable as secondary text
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<String> level = robot.lookup("#settings-log-level").queryAs(javafx.scene.control.ComboBox.class);
        assertEquals(List.of("", "debug", "info", "warn", "error"), level.getItems());
        assertTrue(UiTesting.allTexts().contains("LOG_LEVEL · how much the server writes to its log"));
        robot.interact(() -> level.setValue("debug"));
        robot.clickOn("#settings-save");
        waitUntil(() -> text(robot, "#settings-restart-note").contains("restart"));
        assertTrue(Files.readString(dataDir.resolve("settings.properties")).contains("server.LOG_LEVEL=debug"));
        assertFalse(Files.readString(dataDir.resolve("settings.properties")).contains("BETTER_AUTH_SECRET"));
        screenshot(robot, "settings-dark");
        robot.clickOn("#nav-dashboard");
        waitUntil(() -> "healthy".equals(text(robot, "#dash-status")));
        screenshot(robot, "dashboard-dark");
    }

    @Test
    @Order(20)
    void atTheMinimumWindowSizeNoPageCutsALabelOrShowsBlankBands(FxRobot robot) throws Exception {
        // every page is checked at that size: a window manager applies it asynchronously
        UiTesting.windowSize(stage, WindowPlacement.MIN_WIDTH, WindowPlacement.MIN_HEIGHT);
        java.util.List<String> cut = new java.util.ArrayList<>();
        for (PageId id : PageId.values()) {
            showPage(robot, id);
            cut.addAll(WindowChecks.settled(() -> WaitForAsyncUtils.asyncFx(() -> atMinimumSize(robot, id)).get()));
        }
        assertEquals(List.of(), cut);
    }

    /** What the page shows wrong at the minimum window size (on the FX thread). */
    private java.util.List<String> atMinimumSize(FxRobot robot, PageId id) {
        javafx.scene.Parent root = stage.getScene().getRoot();
        java.util.List<String> cut = new java.util.ArrayList<>(WindowChecks.cutLabels(root));
        // nothing hidden keeps its room (a blank line over the agents, a band in the secrets form), no empty row looks like a record
        cut.addAll(WindowChecks.blankBands(root));
        cut.addAll(WindowChecks.paintedEmptyRows(root));
        // every table fills its width at 900 × 600 too: none scrolls sideways, hiding its last columns
        cut.addAll(WindowChecks.tablesWiderThanTheirPlace(root));
        if (id == PageId.RUNS) { // a list's shown value is a cell, which cutLabels leaves aside
            cut.addAll(WindowChecks.cutComboValues(robot.lookup("#runs-agent").queryAs(javafx.scene.control.ComboBox.class),
                    robot.lookup("#runs-status").queryAs(javafx.scene.control.ComboBox.class)));
            cut.addAll(WindowChecks.cutPrompts(robot.lookup("#runs-since").queryAs(javafx.scene.control.DatePicker.class).getEditor(),
                    robot.lookup("#runs-search").queryAs(javafx.scene.control.TextField.class)));
        }
        if (id == PageId.SECRETS) { // the integration and auth lists read their choice, not "Choose an in…"
            cut.addAll(WindowChecks.cutComboValues(robot.lookup("#secrets-integration").queryAs(javafx.scene.control.ComboBox.class),
                    robot.lookup("#secrets-auth").queryAs(javafx.scene.control.ComboBox.class)));
        }
        // a page taller than the window scrolls: it never pushes the status bar out of the window
        javafx.scene.Node bar = robot.lookup("#status-server").query();
        if (bar.localToScene(bar.getBoundsInLocal()).getMaxY() > stage.getScene().getHeight() + 1) {
            cut.add("the status bar is below the window");
        }
        return cut.stream().map(c -> id.title() + ": " + c).toList();
    }

    @Test
    @Order(19)
    void atTheMinimumWindowSizeARunsLogShowsTenLines(FxRobot robot) throws Exception {
        UiTesting.windowSize(stage, WindowPlacement.MIN_WIDTH, WindowPlacement.MIN_HEIGHT);
        UiTesting.open(robot, shell, "#nav-runs", dev.appstrate.desktop.ui.runs.RunsPage.class);
        javafx.scene.control.TableView<?> table = robot.lookup("#runs-table").queryTableView();
        waitUntil(() -> !table.getItems().isEmpty());
        String runId = ((dev.appstrate.desktop.ui.runs.RunRow) table.getItems().get(0)).id();
        robot.interact(() -> ctx.navigator().openRun(runId));
        waitUntil(() -> shell.currentPage() instanceof RunDetailPage d && runId.equals(d.runId()) && "success".equals(d.status()));
        RunDetailPage detail = (RunDetailPage) shell.currentPage();
        waitUntil(() -> detail.logView().shownLines().size() >= 10);
        javafx.scene.control.ListView<LogLine> list = detail.logView().listView();
        // the log gets the room (it had two lines here): ten whole lines, the output still shown above it
        Callable<String> seen = () -> WaitForAsyncUtils.asyncFx(() -> {
            javafx.geometry.Bounds shown = list.localToScene(list.getLayoutBounds());
            long whole = list.lookupAll(".list-cell").stream().filter(c -> c instanceof javafx.scene.control.ListCell<?> cell
                    && !cell.isEmpty() && cell.isVisible() && shown.contains(cell.localToScene(cell.getLayoutBounds()))).count();
            javafx.scene.Node output = robot.lookup("#run-output").query();
            return whole + " whole lines, output " + (int) output.getLayoutBounds().getHeight() + " px";
        }).get();
        try {
            waitUntil(() -> Integer.parseInt(seen.call().split(" ")[0]) >= 10);
        } catch (java.util.concurrent.TimeoutException e) {
            // the assertion below says what was seen
        }
        String result = seen.call();
        assertTrue(Integer.parseInt(result.split(" ")[0]) >= 10, result);
        assertTrue(Integer.parseInt(result.replaceAll(".*output (\\d+) px", "$1")) >= 40, "the output keeps a few lines: " + result);
        screenshot(robot, "run-detail-small-window");
    }

    @Test
    @Order(21)
    void atTheDefaultWidthEveryTableShowsAllItsColumns(FxRobot robot) throws Exception {
        java.util.List<String> wide = new java.util.ArrayList<>();
        for (PageId id : PageId.values()) {
            showPage(robot, id);
            wide.addAll(WindowChecks.settled(() -> WaitForAsyncUtils.asyncFx(() -> WindowChecks.tablesWiderThanTheirPlace(
                    stage.getScene().getRoot()).stream().map(c -> id.title() + ": " + c).toList()).get()));
        }
        assertEquals(List.of(), wide, "tables that scroll sideways, their last headers cut at the right edge");
    }
    @Test
    @Order(22)
    void addAndTestShowsItsFailureInFullWhereverThePageWasScrolled(FxRobot robot) throws Exception {
        var page = UiTesting.open(robot, shell, "#nav-models", dev.appstrate.desktop.ui.models.ModelsPage.class);
        javafx.scene.control.ScrollPane scroll = (javafx.scene.control.ScrollPane) robot.lookup("#page-area").queryAs(
                javafx.scene.layout.StackPane.class).getChildren().get(0);
        robot.interact(() -> scroll.setVvalue(scroll.getVmax())); // down at the form, as the user is after filling it in
        robot.clickOn("#models-base-url").write("http://127.0.0.1:9/v1");
        robot.clickOn("#models-api-key").write("sk-unreachable");
        robot.clickOn("#models-model-id").write("unreachable-model");
        robot.clickOn("#models-add");
        javafx.scene.control.Label result = robot.lookup("#models-message").queryAs(javafx.scene.control.Label.class);
        waitUntil(() -> result.getText().contains("test failed"));
        javafx.scene.Node viewport = scroll.lookup(".viewport");
        // the whole red result is inside the visible part of the page: none of it above the top or below the foot
        waitUntil(() -> WaitForAsyncUtils.asyncFx(() -> {
            javafx.geometry.Bounds shown = viewport.localToScene(viewport.getLayoutBounds());
            javafx.geometry.Bounds r = result.localToScene(result.getLayoutBounds());
            return r.getHeight() > 0 && r.getMinY() >= shown.getMinY() - 0.5 && r.getMaxY() <= shown.getMaxY() + 0.5;
        }).get());
        assertTrue(page.viewModel().messageProperty().get().contains("127.0.0.1:9"));
    }
}
