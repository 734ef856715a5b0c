package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.ui.UiTesting.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.ui.agents.AgentsPage;
import dev.appstrate.desktop.ui.docker.CleanupDialog;
import dev.appstrate.desktop.ui.docker.ResourceRow;
import dev.appstrate.desktop.ui.schedules.ScheduleDialog;
import dev.appstrate.desktop.ui.schedules.SchedulesPage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Every dialog as a window manager shows it (run with DISPLAY set: Xvfb + openbox, glass GTK): owned by the main
 * window, resizable, entirely on screen, at least its content's size; plus the keyboard in the cleanup preview
 * and the schedule dialog's form surviving an agent switch. Screenshots of each go to docs/screenshots.
 */
@ScreenTest
class DialogWindowsTest {
    @TempDir
    static Path dataDir;
    static EmbeddedServer server;
    static AppstrateClient client;
    AppShell shell;
    Stage stage;

    @BeforeAll
    static void startServer() throws Exception {
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn"), dataDir);
        client = UiTesting.client(server);
        UiTesting.addAgent(client, "greeter", m -> m.putObject("input").set("schema", DesktopJson.MAPPER.valueToTree(Map.of(
                "type", "object", "required", List.of("name"), "properties", Map.of(
                        "name", Map.of("type", "string", "description", "Who to greet"),
                        "count", Map.of("type", "integer", "description", "How many greetings", "default", 3),
                        "tone", Map.of("type", "string", "enum", List.of("calm", "loud"), "default", "calm"),
                        "notes", Map.of("type", "string", "description", "Anything else the agent should know"))))));
        UiTesting.addAgent(client, "digest", m -> m.putObject("input").set("schema", DesktopJson.MAPPER.valueToTree(Map.of(
                "type", "object", "properties", Map.of("subject", Map.of("type", "string", "default", "news"))))));
        // twelve input fields: taller than a 900 × 600 window
        Map<String, Object> questions = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= 12; i++) {
            questions.put("question" + i, Map.of("type", "string", "description", "Question " + i));
        }
        UiTesting.addAgent(client, "survey", m -> m.putObject("input").set("schema", DesktopJson.MAPPER.valueToTree(Map.of(
                "type", "object", "properties", questions))));
    }

    @AfterAll
    static void stopServer() {
        UiTesting.stopAll(client, server, null);
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        shell = UiTesting.show(stage, client, dataDir, server.runAdapter());
    }

    /** A failed test must not leave a modal dialog over the next one. */
    @AfterEach
    void closeDialogs() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> List.copyOf(javafx.stage.Window.getWindows()).stream()
                .filter(w -> w != stage && w instanceof Stage s && s.getOwner() != null).forEach(javafx.stage.Window::hide)).get();
    }

    /** Escape, as a user leaves a dialog: every dialog has a Cancel that Escape reaches. */
    private static void cancel(FxRobot robot, Stage dialog) throws Exception {
        WindowChecks.escape(robot, dialog);
    }

    @Test
    void theRunDialogFitsItsGeneratedFormWithUncutLabels(FxRobot robot) throws Exception {
        AgentsPage page = UiTesting.open(robot, shell, "#nav-agents", AgentsPage.class);
        waitUntil(() -> page.viewModel().agents().stream().anyMatch(a -> a.id().equals("@local/greeter")));
        robot.interact(() -> page.select("@local/greeter"));
        waitUntil(() -> page.viewModel().detailProperty().get() != null
                && page.viewModel().detailProperty().get().id().equals("@local/greeter"));
        robot.clickOn("#agent-run");
        Stage dialog = WindowChecks.windowWithRoot("run-dialog");
        WindowChecks.assertFits(dialog, stage);
        for (String field : List.of("name", "count", "tone", "notes")) {
            Node input = robot.lookup("#input-" + field).query();
            assertTrue(WaitForAsyncUtils.asyncFx(() -> fullyInside(input, dialog)).get(), field + " is visible in the dialog");
        }
        assertEquals("", robot.lookup("#input-name").queryAs(TextField.class).getPromptText(),
                "the description is the help line under the field, not a second time inside it");
        assertTrue(UiTesting.allTexts().contains("Who to greet"), "the help line is there");
        // the four-field form too: its first fit must not leave the dialog taller than its content (55 px blank was seen)
        waitUntil(() -> WaitForAsyncUtils.asyncFx(() ->
                dialog.getScene().getHeight() <= Math.ceil(dialog.getScene().getRoot().prefHeight(-1)) + 1).get());
        UiTesting.screenshot("run-dialog", dialog.getScene());
        cancel(robot, dialog);
        waitUntil(() -> !dialog.isShowing());

        // a one-field form: the dialog takes the form's height, no blank band between the field and the buttons
        robot.interact(() -> page.select("@local/digest"));
        waitUntil(() -> page.viewModel().detailProperty().get() != null
                && page.viewModel().detailProperty().get().id().equals("@local/digest"));
        robot.clickOn("#agent-run");
        Stage small = WindowChecks.windowWithRoot("run-dialog");
        WindowChecks.assertFits(small, stage);
        waitUntil(() -> robot.lookup("#input-subject").tryQuery().isPresent());
        java.util.concurrent.Callable<Double> gapNow = () -> WaitForAsyncUtils.asyncFx(() -> {
            Node last = robot.lookup("#input-subject").query();
            Node bar = WindowChecks.pane(small).lookup(".button-bar");
            return bar.localToScene(bar.getLayoutBounds()).getMinY() - last.localToScene(last.getLayoutBounds()).getMaxY();
        }).get();
        try { // the window takes the form's height asynchronously
            waitUntil(() -> gapNow.call() <= 48);
        } catch (java.util.concurrent.TimeoutException e) {
            // the assertion below says how much
        }
        double gap = gapNow.call();
        assertTrue(gap <= 48, "blank band of " + (int) gap + " px under the form");
        cancel(robot, small);
        waitUntil(() -> !small.isShowing());
    }

    @Test
    @SuppressWarnings("unchecked")
    void newAndEditScheduleDialogsFitAndSwitchingTheAgentBringsItsFormBack(FxRobot robot) throws Exception {
        SchedulesPage page = UiTesting.open(robot, shell, "#nav-schedules", SchedulesPage.class);
        robot.clickOn("#schedules-new");
        Stage dialog = WindowChecks.windowWithRoot("schedule-dialog");
        WindowChecks.assertFits(dialog, stage);
        ScheduleDialog d = page.lastDialog();
        ComboBox<String> agent = robot.lookup("#schedule-agent").queryComboBox();
        waitUntil(() -> agent.getItems().containsAll(List.of("@local/greeter", "@local/digest")));

        robot.interact(() -> agent.setValue("@local/greeter"));
        waitUntil(() -> robot.lookup("#input-name").tryQuery().isPresent());
        // the bug: the second choice threw "A bound value cannot be set" and no form came back
        robot.interact(() -> agent.setValue("@local/digest"));
        waitUntil(() -> robot.lookup("#input-subject").tryQuery().isPresent() && robot.lookup("#input-name").tryQuery().isEmpty());
        robot.interact(() -> agent.setValue("@local/greeter"));
        waitUntil(() -> robot.lookup("#input-name").tryQuery().isPresent());
        assertNotNull(d.form());
        WindowChecks.assertFits(dialog, stage);

        robot.interact(() -> robot.lookup("#input-name").queryAs(TextField.class).setText("Ada"));
        robot.interact(() -> robot.lookup("#schedule-cron").queryAs(TextField.class).setText("0 9 * * 1-5"));
        robot.interact(() -> robot.lookup("#schedule-name").queryAs(TextField.class).setText("Morning greeting"));
        Button save = robot.lookup("#schedule-save").queryButton();
        waitUntil(() -> !save.isDisabled());
        UiTesting.screenshot("schedule-dialog", dialog.getScene());
        robot.interact(save::fire);
        waitUntil(() -> !dialog.isShowing());

        javafx.scene.control.TableView<?> table = robot.lookup("#schedules-table").queryTableView();
        waitUntil(() -> table.getItems().size() == 1);
        // editing shows the input the schedule was saved with, every time: two forms were loaded (choosing the agent,
        // then with the saved input) and when the empty one answered last, "name" was blank and Save disabled
        for (int open = 1; open <= 4; open++) {
            robot.interact(() -> page.openDialog((dev.appstrate.desktop.ui.schedules.ScheduleRow) table.getItems().get(0)));
            Stage edit = WindowChecks.windowWithRoot("schedule-dialog");
            ScheduleDialog editing = page.lastDialog();
            waitUntil(() -> robot.lookup("#input-name").tryQuery().isPresent());
            // Save waits for the cron preview, asked for after a debounce: no task runs until it fires, so "no task
            // running" is not "answered" (CI saw Save still disabled on the fourth opening)
            waitUntil(() -> WaitForAsyncUtils.asyncFx(() -> !editing.preview().pendingProperty().get()
                    && Tasks.runningProperty().get() == 0).get());
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals("Ada", robot.lookup("#input-name").queryAs(TextField.class).getText(), "opening " + open);
            assertFalse(robot.lookup("#schedule-save").queryButton().isDisabled(), "opening " + open);
            WindowChecks.assertFits(edit, stage);
            if (open == 1) {
                UiTesting.screenshot("schedule-dialog-edit", edit.getScene());
            }
            cancel(robot, edit);
            waitUntil(() -> !edit.isShowing());
        }
    }

    @Test
    void aScheduleForAnAgentWithALongFormFitsAMinimumSizeWindowWithItsButtonsReachable(FxRobot robot) throws Exception {
        UiTesting.windowSize(stage, WindowPlacement.MIN_WIDTH, WindowPlacement.MIN_HEIGHT);
        UiTesting.open(robot, shell, "#nav-schedules", SchedulesPage.class);
        robot.clickOn("#schedules-new");
        Stage dialog = WindowChecks.windowWithRoot("schedule-dialog");
        ComboBox<String> agent = robot.lookup("#schedule-agent").queryComboBox();
        waitUntil(() -> agent.getItems().contains("@local/survey"));
        robot.interact(() -> agent.setValue("@local/survey"));
        waitUntil(() -> robot.lookup("#input-question12").tryQuery().isPresent());
        WindowChecks.assertFits(dialog, stage);
        // the form scrolls inside: the dialog is no taller than the main window, Save and Cancel are inside it
        waitUntil(() -> WaitForAsyncUtils.asyncFx(() -> dialog.getHeight() <= stage.getHeight() + 0.5).get());
        Button save = robot.lookup("#schedule-save").queryButton();
        Node cancelButton = WaitForAsyncUtils.asyncFx(() -> WindowChecks.pane(dialog).lookupButton(ButtonType.CANCEL)).get();
        assertTrue(WaitForAsyncUtils.asyncFx(() -> fullyInside(save, dialog) && fullyInside(cancelButton, dialog)).get(),
                "Save and Cancel inside the dialog at " + WaitForAsyncUtils.asyncFx(() -> WindowChecks.describe(dialog)).get());
        // and the last field is reachable by scrolling
        Node last = robot.lookup("#input-question12").query();
        Node viewport = WaitForAsyncUtils.asyncFx(() -> dialog.getScene().lookup(".dialog-scroll > .viewport")).get();
        robot.interact(() -> dev.appstrate.desktop.ui.Reveal.fully(last));
        waitUntil(() -> WaitForAsyncUtils.asyncFx(() -> viewport.localToScene(viewport.getLayoutBounds())
                .contains(last.localToScene(last.getLayoutBounds()))).get());
        UiTesting.screenshot("schedule-dialog-long-form", dialog.getScene());
        cancel(robot, dialog);
        waitUntil(() -> !dialog.isShowing());
    }

    @Test
    void theNewScheduleDialogStaysWhereItIsWhenTheAgentChanges(FxRobot robot) throws Exception {
        UiTesting.open(robot, shell, "#nav-schedules", SchedulesPage.class);
        robot.clickOn("#schedules-new");
        Stage dialog = WindowChecks.windowWithRoot("schedule-dialog");
        ComboBox<String> agent = robot.lookup("#schedule-agent").queryComboBox();
        waitUntil(() -> agent.getItems().containsAll(List.of("@local/greeter", "@local/digest")));
        robot.interact(() -> agent.setValue("@local/digest"));
        waitUntil(() -> robot.lookup("#input-subject").tryQuery().isPresent());
        WindowChecks.assertFits(dialog, stage);
        double[] before = WaitForAsyncUtils.asyncFx(() -> new double[] {dialog.getX(), dialog.getY(), dialog.getHeight()}).get();
        // one input field, then four, then one: the dialog takes each form's height below the same top-left (it
        // re-centred, moving the Agent list from under the pointer)
        robot.interact(() -> agent.setValue("@local/greeter"));
        waitUntil(() -> robot.lookup("#input-notes").tryQuery().isPresent());
        WindowChecks.assertFits(dialog, stage);
        Node notes = robot.lookup("#input-notes").query();
        waitUntil(() -> WaitForAsyncUtils.asyncFx(() -> fullyInside(notes, dialog) && dialog.getHeight() > before[2]).get());
        double[] grown = WaitForAsyncUtils.asyncFx(() -> new double[] {dialog.getX(), dialog.getY()}).get();
        String grownAt = WaitForAsyncUtils.asyncFx(() -> WindowChecks.describe(dialog)).get();
        assertEquals(before[0], grown[0], 0.5, "x after choosing an agent with a bigger form: " + grownAt);
        assertEquals(before[1], grown[1], 0.5, "y after choosing an agent with a bigger form: " + grownAt);
        robot.interact(() -> agent.setValue("@local/digest"));
        waitUntil(() -> robot.lookup("#input-subject").tryQuery().isPresent() && robot.lookup("#input-notes").tryQuery().isEmpty());
        WindowChecks.assertFits(dialog, stage);
        waitUntil(() -> WaitForAsyncUtils.asyncFx(() -> dialog.getHeight() < before[2] + 1).get());
        double[] shrunk = WaitForAsyncUtils.asyncFx(() -> new double[] {dialog.getX(), dialog.getY()}).get();
        String shrunkAt = WaitForAsyncUtils.asyncFx(() -> WindowChecks.describe(dialog)).get();
        assertEquals(before[0], shrunk[0], 0.5, "x after switching back: " + shrunkAt);
        assertEquals(before[1], shrunk[1], 0.5, "y after switching back: " + shrunkAt);
        cancel(robot, dialog);
        waitUntil(() -> !dialog.isShowing());
    }

    @Test
    void registerIntegrationShowsSeveralLinesOfManifest(FxRobot robot) throws Exception {
        robot.clickOn("#nav-secrets");
        waitUntil(() -> robot.lookup("#secrets-register").tryQuery().isPresent());
        robot.clickOn("#secrets-register");
        Stage dialog = WindowChecks.windowWithRoot("integration-dialog");
        WindowChecks.assertFits(dialog, stage);
        TextArea manifest = robot.lookup("#integration-manifest").queryAs(TextArea.class);
        double lineHeight = WaitForAsyncUtils.asyncFx(() -> manifest.getFont().getSize() * 1.3).get();
        assertTrue(manifest.getHeight() >= 8 * lineHeight, "manifest area " + manifest.getHeight() + " px high");
        assertTrue(manifest.getText().isEmpty() && robot.lookup("#integration-register").queryButton().isDisabled(),
                "nothing to register until a manifest is pasted: Return must not register the example");
        UiTesting.screenshot("integration-dialog", dialog.getScene());
        // the example fills the manifest and the keyboard goes on to editing it (it stayed on the link before)
        robot.clickOn("#integration-example");
        waitUntil(() -> manifest.getText().contains("\"type\": \"integration\""));
        waitUntil(manifest::isFocused);
        cancel(robot, dialog);
        waitUntil(() -> !dialog.isShowing());
    }

    @Test
    void theCleanupPreviewFitsShowsRowsAndButtonsAndWorksFromTheKeyboard(FxRobot robot) throws Exception {
        List<ResourceRow> rows = new ArrayList<>();
        Instant created = Instant.now().minusSeconds(7200);
        for (int i = 1; i <= 9; i++) {
            String run = "run_orphan" + i;
            rows.add(new ResourceRow("id" + i, i % 3 == 0 ? "volume" : i % 3 == 1 ? "container" : "network",
                    "appstrate-" + (i % 3 == 0 ? "ws-" : i % 3 == 1 ? "agent-" : "exec-") + run, run, "exited", created, true, ""));
        }
        AtomicReference<List<ResourceRow>> confirmed = new AtomicReference<>();
        AtomicReference<CleanupDialog> cleanup = new AtomicReference<>();
        robot.interact(() -> {
            cleanup.set(new CleanupDialog(stage, "Remove every orphan?", rows, false));
            cleanup.get().show(confirmed::set);
        });
        Stage dialog = WindowChecks.windowWithRoot("cleanup-dialog");
        WindowChecks.assertFits(dialog, stage);
        Button remove = robot.lookup("#cleanup-remove").queryButton();
        javafx.scene.control.ListView<ResourceRow> list = cleanup.get().list();
        assertTrue(WaitForAsyncUtils.asyncFx(() -> fullyInside(remove, dialog)).get(), "Remove is visible");
        assertTrue(list.getHeight() >= 5 * 24, "the list shows rows: " + list.getHeight() + " px");
        assertTrue(rows.get(0).describe().contains("2 h old"), rows.get(0).describe());
        UiTesting.screenshot("docker-cleanup-dialog", dialog.getScene());

        // the rows have the focus; Space unchecks one, Tab reaches Remove (not a hidden Cancel), Enter confirms
        waitUntil(list::isFocused);
        robot.type(KeyCode.SPACE);
        waitUntil(() -> "Remove 8".equals(remove.getText()));
        robot.type(KeyCode.TAB);
        waitUntil(remove::isFocused);
        robot.press(KeyCode.SHIFT).type(KeyCode.TAB).release(KeyCode.SHIFT);
        waitUntil(list::isFocused);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> confirmed.get() != null);
        assertEquals(8, confirmed.get().size(), "Enter confirmed the checked rows instead of re-toggling one");
        assertFalse(confirmed.get().contains(rows.get(0)));
        waitUntil(() -> !dialog.isShowing());

        // "Remove selected…": the same preview for two rows; Escape cancels and nothing is confirmed
        confirmed.set(null);
        robot.interact(() -> {
            cleanup.set(new CleanupDialog(stage, "Remove these 2 resources?", rows.subList(0, 2), false));
            cleanup.get().show(confirmed::set);
        });
        Stage selected = WindowChecks.windowWithRoot("cleanup-dialog");
        WindowChecks.assertFits(selected, stage);
        // a size that arrives after the fit (a window manager answering an earlier request, under load) is settled
        // again: this preview once stayed 191 px high for 225 px of content
        robot.interact(() -> selected.setHeight(selected.getHeight() - 40));
        WindowChecks.assertFits(selected, stage);
        assertTrue(WaitForAsyncUtils.asyncFx(() -> fullyInside(robot.lookup("#cleanup-remove").query(), selected)).get());
        UiTesting.screenshot("docker-remove-selected-dialog", selected.getScene());
        waitUntil(() -> cleanup.get().list().isFocused());
        robot.type(KeyCode.ESCAPE);
        waitUntil(() -> !selected.isShowing());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(null, confirmed.get());
    }

    @Test
    void confirmationAlertsAreOwnedAndOnScreen(FxRobot robot) throws Exception {
        UiTesting.open(robot, shell, "#nav-api-keys", dev.appstrate.desktop.ui.apikeys.ApiKeysPage.class);
        robot.clickOn("#apikeys-name").write("Dialog key");
        robot.clickOn("#apikeys-create");
        javafx.scene.control.TableView<?> table = robot.lookup("#apikeys-table").queryTableView();
        waitUntil(() -> table.getItems().size() == 1);
        robot.interact(() -> table.getSelectionModel().select(0));
        robot.clickOn("#apikeys-revoke");
        AtomicReference<Stage> alert = new AtomicReference<>();
        waitUntil(() -> {
            for (javafx.stage.Window w : List.copyOf(javafx.stage.Window.getWindows())) {
                if (w != stage && w.isShowing() && w instanceof Stage s && s.getScene().lookup(".dialog-pane") != null) {
                    alert.set(s);
                }
            }
            return alert.get() != null;
        });
        WindowChecks.assertFits(alert.get(), stage);
        // the title says what is being decided, the buttons say the action (not "Confirmation", OK)
        assertEquals("Revoke API key 'Dialog key'?", alert.get().getTitle());
        assertEquals(List.of("Revoke", "Cancel"), WaitForAsyncUtils.asyncFx(() -> WindowChecks.pane(alert.get()).getButtonTypes()
                .stream().map(ButtonType::getText).toList()).get());
        UiTesting.screenshot("confirm-dialog", alert.get().getScene());
        cancel(robot, alert.get());
        waitUntil(() -> !alert.get().isShowing());
    }

    private static boolean fullyInside(Node n, Stage window) {
        Bounds b = n.localToScene(n.getLayoutBounds());
        return b.getMinX() >= 0 && b.getMinY() >= 0 && b.getMaxX() <= window.getScene().getWidth() + 0.5
                && b.getMaxY() <= window.getScene().getHeight() + 0.5;
    }
}
