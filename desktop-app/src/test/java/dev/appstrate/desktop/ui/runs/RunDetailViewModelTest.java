package dev.appstrate.desktop.ui.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.desktop.agentdev.AgentFolder;
import dev.appstrate.desktop.agentdev.AgentTemplate;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.InlineRunsApi;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.TaskExecutor;
import dev.appstrate.desktop.ui.UiTesting;
import dev.appstrate.runner.testing.ScriptedModelServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/** The run page's logic against a real embedded server and a real run, on the test's own thread (no FX thread). */
class RunDetailViewModelTest {
    @TempDir
    static Path dataDir;
    static EmbeddedServer server;
    static AppstrateClient client;
    static ScriptedModelServer provider;
    static final List<String> notes = new ArrayList<>();
    static final List<String> opened = new ArrayList<>();
    static RunDetailViewModel vm;

    @BeforeAll
    static void start() throws Exception {
        provider = ScriptedModelServer.bashThenOutput("echo detail line", Map.of("answer", 42));
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn"), dataDir);
        client = UiTesting.client(server);
        UiTesting.addModel(client, provider.baseUrl());
        UiTesting.addAgent(client, "detail", m -> { });
        vm = new RunDetailViewModel(client, TaskExecutor.SAME_THREAD, new Notifier() {
            @Override
            public void info(String message) {
                notes.add(message);
            }

            @Override
            public void error(String message) {
                notes.add("error: " + message);
            }
        }, opened::add);
    }

    @AfterAll
    static void stop() {
        UiTesting.stopAll(client, server, provider);
    }

    private static String finishedRun() throws Exception {
        ObjectNode input = DesktopJson.object().put("topic", "weather");
        String id = client.runAgent("@local/detail", input, null).path("id").asText();
        vm.load(id);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> {
            vm.reload();
            return !vm.active() && !vm.status().isEmpty();
        });
        return id;
    }

    @Test
    void aFinishedRunShowsItsAgentInputOutputAndCostAndCanBeStartedAgain() throws Exception {
        String id = finishedRun();
        assertEquals(id, vm.runId());
        assertEquals("success", vm.status());
        assertEquals("@local/detail", vm.agent());
        assertTrue(vm.output().contains("\"answer\" : 42"), vm.output());
        assertTrue(vm.input().contains("weather"), vm.input());
        assertTrue(vm.model().contains("Scripted"), vm.model());
        assertFalse(vm.duration().isEmpty());
        assertEquals("", vm.error());

        assertTrue(vm.runAgain());
        assertEquals(1, opened.size());
        assertNotEquals(id, opened.get(0), "the new run is opened");
        assertTrue(notes.contains("Started @local/detail again with the same input"), notes.toString());
        assertTrue(client.run(opened.get(0)).path("input").path("topic").asText().equals("weather"));
    }

    @Test
    void anInlineRunIsStartedAgainInlineWithTheSameManifestPromptAndInput(@TempDir Path dir) throws Exception {
        // a run of an agent folder (In development) has no installed package: running "@inline/Again" by name fails
        AgentFolder folder = AgentTemplate.write(dir.resolve("again"), "Again");
        ObjectNode input = DesktopJson.object().put("name", "Ada");
        String id = new InlineRunsApi(client).run(folder.inlineBody(input)).path("id").asText();
        vm.load(id);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> {
            vm.reload();
            return !vm.active() && !vm.status().isEmpty();
        });
        int before = opened.size();
        try {
            assertTrue(vm.runAgain());
            assertEquals(before + 1, opened.size(), "the new run is opened: " + notes);
            JsonNode again = client.run(opened.get(before));
            assertNotEquals(id, again.path("id").asText());
            assertTrue(again.path("package_ephemeral").asBoolean(), again.toString());
            assertEquals("Ada", again.path("input").path("name").asText());
            assertEquals(client.run(id).path("inline_manifest"), again.path("inline_manifest"));
            assertEquals(client.run(id).path("inline_prompt").asText(), again.path("inline_prompt").asText());
            assertTrue(notes.contains("Started @inline/Again again with the same input"), notes.toString());
        } finally {
            opened.subList(before, opened.size()).clear();
        }
    }

    @Test
    void aLiveUpdateThatEndsTheRunReloadsItAndOnlyThen() throws Exception {
        String id = finishedRun();
        vm.load(id);
        vm.status.set("running");
        vm.output.set("");
        assertFalse(vm.update(DesktopJson.object().put("status", "running")), "no change");
        assertTrue(vm.update(DesktopJson.object().put("status", "success")));
        assertTrue(vm.output().contains("42"), "reloaded for its output: " + vm.output());
    }

    @Test
    void aCancelledRunIsNotShownAsAnError() throws Exception {
        // the user's own cancel: the "cancelled" chip says it; a failure keeps its red error line
        vm.show(dev.appstrate.desktop.client.Run.of(DesktopJson.MAPPER.readTree(
                "{\"id\":\"run_c\",\"status\":\"cancelled\",\"error\":\"Cancelled by user\"}")));
        assertEquals("cancelled", vm.status());
        assertEquals("", vm.error());
        vm.show(dev.appstrate.desktop.client.Run.of(DesktopJson.MAPPER.readTree(
                "{\"id\":\"run_f\",\"status\":\"failed\",\"error\":\"Connection error.\"}")));
        assertEquals("Connection error.", vm.error());
    }

    @Test
    void theStoredLogIsExportedAndAnUnknownRunSaysSo(@TempDir Path dir) throws Exception {
        finishedRun();
        Path file = dir.resolve("run.log");
        long lines = vm.exportLog(file);
        assertTrue(lines > 0);
        assertEquals(lines, Files.readAllLines(file).size());

        vm.load("run_does_not_exist");
        assertTrue(vm.error().toLowerCase().contains("not found"), vm.error());
        assertFalse(vm.runAgain(), "nothing to run again");
    }
}
