package dev.appstrate.desktop.ui.agentdev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.agentdev.AgentTemplate;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.concurrent.NamedExecutors;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.ui.UiTesting;
import dev.appstrate.runner.testing.ScriptedModelServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "In development" ViewModel on a real embedded server, with the scripted model recording what it was sent. */
class AgentFoldersViewModelTest {
    @TempDir
    static Path home;
    static EmbeddedServer server;
    static AppstrateClient client;
    static ScriptedModelServer model;
    static ExecutorService worker = NamedExecutors.namedDaemonPool("test-agent-folders", 2);

    @BeforeAll
    static void start() throws Exception {
        model = ScriptedModelServer.instant(Map.of("greeting", "Hello Ada"));
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn"), home.resolve("data"));
        client = UiTesting.client(server);
        UiTesting.addModel(client, model.baseUrl());
    }

    @AfterAll
    static void stop() {
        UiTesting.stopAll(client, server, model);
        worker.shutdownNow();
    }

    private AgentFoldersViewModel viewModel(Path dataDir) {
        return new AgentFoldersViewModel(client, dataDir, worker, Runnable::run, NamedExecutors.namedDaemonPool("test-folder-watch", 1));
    }

    @Test
    void aFolderEditedOnDiskIsRevalidatedAndTheNextRunUsesTheNewPrompt() throws Exception {
        Path dir = home.resolve("greeter");
        AgentTemplate.write(dir, "Greeter");
        BlockingQueue<FolderState> checks = new LinkedBlockingQueue<>();
        try (AgentFoldersViewModel vm = viewModel(home.resolve("vm1"))) {
            vm.onChecked(checks::add);
            vm.open(dir);
            FolderState first = checks.poll(30, TimeUnit.SECONDS);
            assertEquals(FolderState.Verdict.VALID, first.verdict(), () -> first.problems() + " " + first.note());

            BlockingQueue<String> runs = new LinkedBlockingQueue<>();
            vm.run(dir, DesktopJson.object().put("name", "Ada"), runs::add);
            String run1 = runs.poll(30, TimeUnit.SECONDS);
            awaitEnd(run1);
            assertTrue(lastPromptSent().contains("You greet people warmly."));

            // an editor saves a new prompt: the watcher re-validates and the next run sends it
            Files.writeString(dir.resolve("prompt.md"), "You greet people in French. Say bonjour to the name in the input.",
                    StandardCharsets.UTF_8);
            FolderState afterEdit = awaitCheck(checks, s -> s.folder() != null && s.folder().prompt().contains("French"));
            assertEquals(FolderState.Verdict.VALID, afterEdit.verdict());

            assertTrue(vm.runAgain(runs::add), "Run again repeats the last input");
            String run2 = runs.poll(30, TimeUnit.SECONDS);
            awaitEnd(run2);
            assertTrue(lastPromptSent().contains("You greet people in French."), lastPromptSent());
            assertTrue(lastPromptSent().contains("Ada"), "the same input again");
        }
    }

    @Test
    void problemsAreShownBesideTheirFileAfterASave() throws Exception {
        Path dir = home.resolve("broken");
        AgentTemplate.write(dir, "Broken");
        BlockingQueue<FolderState> checks = new LinkedBlockingQueue<>();
        try (AgentFoldersViewModel vm = viewModel(home.resolve("vm2"))) {
            vm.onChecked(checks::add);
            vm.open(dir);
            assertEquals(FolderState.Verdict.VALID, checks.poll(30, TimeUnit.SECONDS).verdict());
            String manifest = Files.readString(dir.resolve("manifest.json")).replace("\"0.1.0\"", "\"one\"");
            Files.writeString(dir.resolve("manifest.json"), manifest);
            FolderState bad = awaitCheck(checks, s -> s.verdict() == FolderState.Verdict.INVALID);
            assertFalse(bad.problemsOf("manifest.json").isEmpty(), bad.problems().toString());
            assertTrue(bad.problemsOf("manifest.json").get(0).field().contains("version"), bad.problems().toString());
            assertTrue(bad.problemsOf("prompt.md").isEmpty());

            Files.writeString(dir.resolve("manifest.json"), "{ broken");
            FolderState unreadable = awaitCheck(checks, s -> s.folder() != null && s.folder().manifest() == null);
            assertTrue(unreadable.problemsOf("manifest.json").get(0).message().contains("not valid JSON"));
        }
        // the list is remembered across launches
        try (AgentFoldersViewModel again = viewModel(home.resolve("vm2"))) {
            again.load();
            assertEquals(List.of(dir.toAbsolutePath().normalize()), again.folders.stream().map(FolderState::dir).toList());
        }
    }

    private static FolderState awaitCheck(BlockingQueue<FolderState> checks, java.util.function.Predicate<FolderState> what)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            FolderState s = checks.poll(1, TimeUnit.SECONDS);
            if (s != null && what.test(s)) {
                return s;
            }
        }
        throw new AssertionError("the folder was never re-checked as expected");
    }

    private static void awaitEnd(String runId) throws Exception {
        org.testfx.util.WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> List.of("success", "failed", "timeout", "cancelled").contains(client.run(runId).path("status").asText()));
        assertEquals("success", client.run(runId).path("status").asText(), () -> client.run(runId).toString());
    }

    /** The system prompt of the model's last request (OpenAI chat: the first message). */
    private static String lastPromptSent() {
        var reqs = model.requests();
        return reqs.get(reqs.size() - 1).json().path("messages").path(0).path("content").asText();
    }
}
