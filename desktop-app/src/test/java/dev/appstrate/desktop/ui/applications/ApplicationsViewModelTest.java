package dev.appstrate.desktop.ui.applications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.TaskExecutor;
import dev.appstrate.desktop.ui.UiTesting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Applications screen's logic against a real embedded server, on the test's own thread. */
class ApplicationsViewModelTest {
    @TempDir
    static Path dataDir;
    static EmbeddedServer server;
    static AppstrateClient client;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn"), dataDir);
        client = UiTesting.client(server);
    }

    @AfterAll
    static void stop() {
        UiTesting.stopAll(client, server, null);
    }

    @Test
    void anApplicationIsCreatedChosenRememberedAndTheOldOneDeleted() {
        List<String> remembered = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        ApplicationsViewModel vm = new ApplicationsViewModel(client, TaskExecutor.SAME_THREAD, new Notifier() {
            @Override
            public void info(String message) {
                notes.add(message);
            }

            @Override
            public void error(String message) {
                notes.add("error: " + message);
            }
        }, remembered::add);
        vm.refresh();
        assertEquals(1, vm.applications().size());
        ApplicationsViewModel.Application first = vm.applications().get(0);
        assertTrue(vm.isCurrent(first));
        assertEquals("Working in " + first.name(), vm.currentProperty().get());

        vm.nameProperty().set("Staging");
        vm.create();
        assertEquals("Created Staging", notes.get(notes.size() - 1));
        ApplicationsViewModel.Application staging = vm.applications().stream().filter(a -> a.name().equals("Staging"))
                .findFirst().orElseThrow();

        vm.delete(first);
        assertEquals("This is the application the app works in: choose another one first.", vm.messageProperty().get());
        vm.use(staging);
        assertEquals(List.of(staging.id()), remembered);
        assertEquals(staging.id(), client.applicationId());
        assertEquals("Working in Staging", vm.currentProperty().get());
    }
}
