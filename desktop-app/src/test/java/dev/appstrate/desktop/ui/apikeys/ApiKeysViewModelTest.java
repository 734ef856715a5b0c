package dev.appstrate.desktop.ui.apikeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.ui.TaskExecutor;
import dev.appstrate.desktop.ui.UiTesting;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API keys screen's logic against a real embedded server, on the test's own thread. */
class ApiKeysViewModelTest {
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
    void aKeyIsCreatedShownOnceListedByPrefixAndRevoked() {
        ApiKeysViewModel vm = new ApiKeysViewModel(client, TaskExecutor.SAME_THREAD);
        vm.nameProperty().set("  ");
        vm.create();
        assertEquals("Give the key a name.", vm.messageProperty().get());
        assertTrue(vm.keys().isEmpty());

        vm.nameProperty().set("CI key");
        vm.create();
        String raw = vm.newKeyProperty().get();
        assertTrue(raw.startsWith("ask_"), raw);
        assertEquals("", vm.nameProperty().get(), "the name field empties for the next key");
        assertEquals(1, vm.keys().size());
        ApiKeysViewModel.ApiKey key = vm.keys().get(0);
        assertEquals("CI key", key.name());
        assertTrue(raw.startsWith(key.prefix().replace("…", "")), key.prefix());
        assertFalse(key.toString().contains(raw), "the list never holds the key itself");
        assertEquals("never", key.lastUsed());
        assertFalse(key.created().contains("T"), "a readable local time, not ISO: " + key.created());

        try (AppstrateClient withKey = new AppstrateClient(new ServerEndpoint(server.url(), raw, false))) {
            assertEquals(0, withKey.agents().path("data").size());
            vm.forgetNewKey();
            assertEquals("", vm.newKeyProperty().get());
            vm.revoke(key);
            assertTrue(vm.keys().isEmpty());
            assertEquals(401, assertThrowsProblem(withKey));
        }
    }

    private static int assertThrowsProblem(AppstrateClient c) {
        try {
            c.agents();
            throw new AssertionError("a revoked key still works");
        } catch (dev.appstrate.desktop.client.ApiProblem p) {
            return p.status();
        }
    }
}
