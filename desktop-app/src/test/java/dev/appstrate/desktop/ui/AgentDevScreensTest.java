package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.ui.UiTesting.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.desktop.agentdev.AgentFolder;
import dev.appstrate.desktop.agentdev.AgentTemplate;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.ModelsApi;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.InlineRunsApi;
import dev.appstrate.desktop.client.SecretsApi;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.ui.agentdev.AgentFoldersPage;
import dev.appstrate.desktop.ui.agentdev.FolderState;
import dev.appstrate.desktop.ui.runs.CompareRunsDialog;
import dev.appstrate.desktop.ui.runs.RunDetailPage;
import dev.appstrate.desktop.ui.runs.RunsPage;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javafx.scene.control.TextArea;
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
 * The agent-development screens against a real embedded server and runner: the In development page, the run
 * inspector of a scripted run with two tool calls (a planted secret masked everywhere), and Compare.
 */
@ScreenTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentDevScreensTest {
    static final String PLANTED = "crm_live_planted_Qe4Rt7Yu1";
    static final String BASH = "echo planted " + PLANTED + "; head -c 20000 /dev/zero | tr '\\0' x; echo; echo careful >&2";

    @TempDir
    static Path home;
    static EmbeddedServer server;
    static AppstrateClient client;
    static ScriptedModelServer twoCalls;
    static ScriptedModelServer clock;
    static String clockModelId;
    AppShell shell;

    @BeforeAll
    static void startServer() throws Exception {
        twoCalls = ScriptedModelServer.builder()
                .turn(new Turn("Let me look.", List.of(ScriptedModelServer.call("bash", Map.of("command", BASH)),
                        ScriptedModelServer.call("write", Map.of("path", "notes/hello.txt", "content", "Hello Ada"))), 30, 11))
                .turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("greeting", "Hello Ada"))), 80, 9))
                .start();
        // the same steps every run, but the second bash answers differently each time: runs diverge at turn 2
        clock = ScriptedModelServer.builder()
                .turn(Turn.toolCall("bash", Map.of("command", "echo same")))
                .turn(Turn.toolCall("bash", Map.of("command", "date +%s%N")))
                .turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("greeting", "Hi"))), 20, 9))
                .start();
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn"), home.resolve("data"));
        client = UiTesting.client(server);
        UiTesting.addModel(client, twoCalls.baseUrl());
        ModelsApi models = new ModelsApi(client);
        ModelsApi.Provider cred = models.createProvider("openai-compatible", "Clock", "sk-clock-model", clock.baseUrl());
        clockModelId = models.createModel(cred.id(), "clock-model", "Clock").id();
        // a connection credential: the server masks it wherever it appears (log, transcript, tool results)
        SecretsApi secrets = new SecretsApi(client);
        secrets.registerIntegration(DesktopJson.MAPPER.readTree("""
                {"name":"@acme/crm","version":"1.0.0","type":"integration","display_name":"CRM",
                 "auths":{"primary":{"type":"api_key","authorized_uris":["https://crm.invalid/**"],
                   "delivery":{"http":{"in":"header","name":"Authorization","prefix":"Bearer ","value":"{$credential.api_key}"}}}}}"""));
        secrets.connect("@acme/crm", "primary", Map.of("api_key", PLANTED), "CRM", null);
    }

    @AfterAll
    static void stopServer() {
        UiTesting.stopAll(client, server, twoCalls);
        clock.close();
    }

    @Start
    void start(Stage stage) {
        shell = UiTesting.show(stage, client, home.resolve("data"), server.runAdapter());
    }

    private static String awaitEnd(String runId) throws Exception {
        waitUntil(() -> List.of("success", "failed", "timeout", "cancelled").contains(client.run(runId).path("status").asText()));
        return client.run(runId).path("status").asText();
    }

    @Test
    @Order(1)
    void theInDevelopmentPageShowsAFolderAndItsProblemsBesideTheFile(FxRobot robot) throws Exception {
        Path dir = home.resolve("greeter");
        AgentTemplate.write(dir, "Greeter");
        AgentFoldersPage page = UiTesting.open(robot, shell, "#nav-agent-folders", AgentFoldersPage.class);
        WaitForAsyncUtils.asyncFx(() -> page.viewModel().open(dir)).get();
        waitUntil(() -> UiTesting.text(robot, "#dev-state").equals("valid"));
        assertEquals("Greeter", UiTesting.text(robot, "#dev-name"));
        java.nio.file.Files.writeString(dir.resolve("manifest.json"),
                java.nio.file.Files.readString(dir.resolve("manifest.json")).replace("\"0.1.0\"", "\"first\""));
        waitUntil(() -> UiTesting.text(robot, "#dev-state").equals("1 problem"));
        waitUntil(() -> UiTesting.allTexts().stream().anyMatch(t -> t.startsWith("manifest.version")));
        UiTesting.screenshot("agent-folders", robot.window(0).getScene());
        java.nio.file.Files.writeString(dir.resolve("manifest.json"),
                java.nio.file.Files.readString(dir.resolve("manifest.json")).replace("\"first\"", "\"0.1.0\""));
        waitUntil(() -> UiTesting.text(robot, "#dev-state").equals("valid"));
        assertEquals(FolderState.Verdict.VALID, page.viewModel().selected.get().verdict());

        // at the smallest window the folder's actions wrap onto a second line; none is cut to "R…"
        Stage stage = (Stage) robot.window(0);
        UiTesting.resize(stage, true, stage::getWidth, WindowPlacement.MIN_WIDTH);
        waitUntil(() -> robot.lookup("#dev-actions").query().getLayoutBounds().getWidth() < 700);
        assertEquals(List.of(), WindowChecks.settled(() -> WaitForAsyncUtils.asyncFx(() ->
                WindowChecks.cutLabels(robot.lookup("#dev-detail").queryAs(javafx.scene.Parent.class))).get()));

        // a problem long enough to wrap beside its file: the file's name stays whole (it was squeezed to "...")
        String valid = java.nio.file.Files.readString(dir.resolve("manifest.json"));
        assertTrue(valid.contains("\"runtime_tools\" : [ \"output\", \"log\" ]"), valid);
        java.nio.file.Files.writeString(dir.resolve("manifest.json"),
                valid.replace("\"runtime_tools\" : [ \"output\", \"log\" ]", "\"runtime_tools\" : [ \"output\", \"log\", \"bash\" ]"));
        waitUntil(() -> UiTesting.allTexts().stream().anyMatch(t -> t.startsWith("manifest.runtime_tools")));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(), WaitForAsyncUtils.asyncFx(() ->
                WindowChecks.cutLabels(robot.lookup("#dev-detail").queryAs(javafx.scene.Parent.class))).get());
        java.nio.file.Files.writeString(dir.resolve("manifest.json"), valid);
        waitUntil(() -> UiTesting.text(robot, "#dev-state").equals("valid"));
    }

    @Test
    @Order(2)
    void theInspectorShowsEachToolCallsArgumentsAndResultAndTheRenderedPromptWithTheSecretMasked(FxRobot robot) throws Exception {
        AgentFolder folder = AgentTemplate.write(home.resolve("inspected"), "Inspected");
        ObjectNode input = DesktopJson.object().put("name", "Ada").put("token", PLANTED);
        String runId = new InlineRunsApi(client).run(folder.inlineBody(input)).path("id").asText();
        assertEquals("success", awaitEnd(runId));
        WaitForAsyncUtils.asyncFx(() -> shell.openRun(runId)).get();
        RunDetailPage detail = (RunDetailPage) shell.currentPage();
        WaitForAsyncUtils.asyncFx(detail::showInspector).get();
        waitUntil(() -> detail.inspector().steps().size() == 4);
        assertEquals(List.of("setup", "turn", "turn", "output"), detail.inspector().steps().stream().map(s -> s.kind()).toList());

        // the system prompt as sent: the folder's prompt rendered with the input, the secret masked
        String system = robot.lookup("#inspector-system-prompt").queryAs(TextArea.class).getText();
        assertTrue(system.startsWith("You greet people warmly."), system);
        assertTrue(system.contains("Ada") && system.contains("[REDACTED]") && !system.contains(PLANTED), system);

        WaitForAsyncUtils.asyncFx(() -> detail.inspector().timeline().getSelectionModel().select(1)).get();
        WaitForAsyncUtils.waitForFxEvents();
        List<TextArea> areas = List.copyOf(robot.lookup(".text-area").queryAllAs(TextArea.class));
        String all = String.join("\n", areas.stream().map(TextArea::getText).toList());
        assertTrue(all.contains("echo planted [REDACTED]"), "bash arguments shown, masked");
        assertTrue(all.contains("notes/hello.txt") && all.contains("Hello Ada"), "write arguments shown");
        assertTrue(all.contains("planted [REDACTED]\nxxxx"), "bash stdout shown, masked");
        assertTrue(all.contains("careful"), "bash stderr shown");
        assertTrue(UiTesting.allTexts().stream().anyMatch(t -> t.contains("exit code 0")), "exit code shown");
        assertTrue(UiTesting.allTexts().stream().anyMatch(t -> t.contains("Files") ) , "write's file paths shown");
        assertTrue(UiTesting.text(robot, "#inspector-turn-meta").contains("30 in / 11 out"));
        // its time as every other page shows one ("2026-12-07 22:06:32"), not the raw ISO instant ("…T22:06:32.949Z")
        assertTrue(UiTesting.text(robot, "#inspector-turn-meta").matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}   latency .*"),
                UiTesting.text(robot, "#inspector-turn-meta"));
        UiTesting.screenshot("run-inspector", robot.window(0).getScene());

        // a truncated result: the whole of it on request, masked too
        String callId = robot.lookup(n -> n.getId() != null && n.getId().startsWith("inspector-whole-")).query().getId()
                .substring("inspector-whole-".length());
        TextArea result = robot.lookup("#inspector-result-" + callId).queryAs(TextArea.class);
        int before = result.getText().length();
        javafx.scene.control.Button whole = robot.lookup("#inspector-whole-" + callId).queryButton();
        WaitForAsyncUtils.asyncFx(() -> {
            whole.getParent().getParent().requestFocus();
            whole.fire();
        }).get();
        // read on the FX thread: the whole result is set there while this waits
        waitUntil(() -> {
            String shown = WaitForAsyncUtils.asyncFx(() -> result.getText()).get();
            return shown.length() > before && shown.contains("x".repeat(20_000));
        });
        assertFalse(WaitForAsyncUtils.asyncFx(() -> result.getText()).get().contains(PLANTED));
        // (the run's own input, typed by the user, is the caller's: the inspector shows what the model and tools saw)
        List<String> inspectorTexts = WaitForAsyncUtils.asyncFx(() -> texts(robot.lookup("#run-inspector").query())).get();
        assertTrue(inspectorTexts.stream().noneMatch(t -> t.contains(PLANTED)), "the secret is shown nowhere in the inspector");
        assertTrue(inspectorTexts.stream().anyMatch(t -> t.contains("[REDACTED]")));
    }

    @Test
    @Order(3)
    void compareShowsTheFirstTurnWhereTwoRunsDiverge(FxRobot robot) throws Exception {
        AgentFolder folder = AgentTemplate.write(home.resolve("compared"), "Compared");
        InlineRunsApi inline = new InlineRunsApi(client);
        String[] ids = new String[2];
        for (int i = 0; i < 2; i++) {
            ObjectNode body = folder.inlineBody(DesktopJson.object().put("name", "Ada"));
            body.put("modelId", clockModelId);
            ids[i] = inline.run(body).path("id").asText();
            assertEquals("success", awaitEnd(ids[i]));
        }
        RunsPage runs = UiTesting.open(robot, shell, "#nav-runs", RunsPage.class);
        waitUntil(() -> runs.table().getItems().stream().filter(r -> r.id().equals(ids[0]) || r.id().equals(ids[1])).count() == 2);
        WaitForAsyncUtils.asyncFx(() -> {
            runs.table().getSelectionModel().clearSelection();
            for (int i = 0; i < runs.table().getItems().size(); i++) {
                String id = runs.table().getItems().get(i).id();
                if (id.equals(ids[0]) || id.equals(ids[1])) {
                    runs.table().getSelectionModel().select(i);
                }
            }
        }).get();
        robot.clickOn("#runs-compare");
        waitUntil(() -> robot.lookup("#compare-divergence").tryQuery().isPresent());
        String divergence = UiTesting.text(robot, "#compare-divergence");
        assertEquals("Turn 2: result of bash", divergence);
        assertEquals("identical", UiTesting.text(robot, "#compare-output-diff"));
        assertEquals("identical", UiTesting.text(robot, "#compare-input-diff"));
        UiTesting.screenshot("compare-runs", robot.lookup("#compare-dialog").query().getScene());
        robot.clickOn("Close");
    }

    @Test
    @Order(4)
    void theInspectorTabChosenByTheUserShowsTheTranscriptLaidOut(FxRobot robot) throws Exception {
        AgentFolder folder = AgentTemplate.write(home.resolve("clicked"), "Clicked");
        String runId = new InlineRunsApi(client).run(folder.inlineBody(DesktopJson.object().put("name", "Ada"))).path("id").asText();
        assertEquals("success", awaitEnd(runId));
        WaitForAsyncUtils.asyncFx(() -> shell.openRun(runId)).get();
        RunDetailPage detail = (RunDetailPage) shell.currentPage();
        waitUntil(() -> robot.lookup("#run-tabs").tryQuery().isPresent());
        // what a click on the tab does: choose it (its listener loads the transcript)
        javafx.scene.control.TabPane tabs = robot.lookup("#run-tabs").queryAs(javafx.scene.control.TabPane.class);
        WaitForAsyncUtils.asyncFx(() -> tabs.getSelectionModel().select(1)).get();
        waitUntil(() -> detail.inspector().steps().size() == 4);
        WaitForAsyncUtils.waitForFxEvents();
        // what the window shows, not only what the nodes hold: in a real window the state line kept "loading…" and the
        // detail stayed blank until the window was resized (the transcript was loaded but never laid out)
        waitUntil(() -> UiTesting.text(robot, "#inspector-state").startsWith("2 turns"));
        // laid out on the window's own pulses: what is checked once may still be the layout before
        assertEquals(List.of(), WindowChecks.settled(() -> WaitForAsyncUtils.asyncFx(() ->
                WindowChecks.cutLabels(robot.lookup("#inspector-state").query().getParent())).get()));
        javafx.scene.Node prompt = robot.lookup("#inspector-system-prompt").query();
        try {
            waitUntil(() -> WaitForAsyncUtils.asyncFx(() -> prompt.getLayoutBounds().getWidth() > 100).get());
        } catch (java.util.concurrent.TimeoutException e) {
            // the assertion below says what it is
        }
        assertTrue(WaitForAsyncUtils.asyncFx(() -> prompt.getLayoutBounds().getWidth() > 100).get(),
                "the system prompt is laid out: " + WaitForAsyncUtils.asyncFx(() -> prompt.getLayoutBounds()).get());
        // the setup step fits the pane's width: a tool's long description was the width of its title bar, and the
        // prompt and its Copy button went off to the right behind a horizontal scroll bar
        javafx.scene.Node shown = robot.lookup("#inspector-detail").query();
        javafx.scene.Parent up = shown.getParent();
        while (!(up instanceof javafx.scene.control.ScrollPane)) {
            up = up.getParent();
        }
        javafx.scene.control.ScrollPane scroll = (javafx.scene.control.ScrollPane) up;
        java.util.concurrent.Callable<double[]> measure = () -> WaitForAsyncUtils.asyncFx(() -> new double[] {
                shown.getLayoutBounds().getWidth(), scroll.getViewportBounds().getWidth()}).get();
        try {
            waitUntil(() -> measure.call()[0] <= measure.call()[1] + 1);
        } catch (java.util.concurrent.TimeoutException e) {
            // the assertion below says what it is
        }
        double[] widths = measure.call();
        assertTrue(widths[0] <= widths[1] + 1, "detail " + widths[0] + " px wide in a " + widths[1] + " px pane");
    }

    private static List<String> texts(javafx.scene.Node n) {
        List<String> out = new java.util.ArrayList<>();
        if (n instanceof javafx.scene.control.Labeled l && l.getText() != null) {
            out.add(l.getText());
        }
        if (n instanceof javafx.scene.control.TextInputControl t && t.getText() != null) {
            out.add(t.getText());
        }
        if (n instanceof javafx.scene.control.TitledPane p && p.getContent() != null) {
            out.addAll(texts(p.getContent()));
        }
        if (n instanceof javafx.scene.control.ScrollPane sp && sp.getContent() != null) {
            out.addAll(texts(sp.getContent()));
        }
        if (n instanceof javafx.scene.control.SplitPane sp) {
            sp.getItems().forEach(i -> out.addAll(texts(i)));
        }
        if (n instanceof javafx.scene.control.ListView<?> lv) {
            lv.getItems().forEach(i -> out.add(String.valueOf(i)));
        }
        if (n instanceof javafx.scene.Parent p) {
            p.getChildrenUnmodifiable().forEach(c -> out.addAll(texts(c)));
        }
        return out;
    }
}
