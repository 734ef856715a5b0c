package dev.appstrate.desktop.ui.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.ModelsApi;
import dev.appstrate.desktop.client.ModelsApi.Model;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.TaskExecutor;
import dev.appstrate.desktop.ui.UiTesting;
import dev.appstrate.runner.testing.ScriptedModelServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The Models screen's logic against a real embedded server, on the test's own thread (no FX thread, no waiting). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelsViewModelTest {
    @TempDir
    static Path dataDir;
    static EmbeddedServer server;
    static AppstrateClient client;
    static ScriptedModelServer provider;
    static final List<String> notes = new ArrayList<>();
    static ModelsViewModel vm;

    @BeforeAll
    static void start() throws Exception {
        provider = ScriptedModelServer.instant(Map.of("answer", 1));
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn"), dataDir);
        client = UiTesting.client(server);
        vm = new ModelsViewModel(new ModelsApi(client), TaskExecutor.SAME_THREAD, new Notifier() {
            @Override
            public void info(String message) {
                notes.add(message);
            }

            @Override
            public void error(String message) {
                notes.add("error: " + message);
            }
        });
    }

    @AfterAll
    static void stop() {
        UiTesting.stopAll(client, server, provider);
    }

    private static String last() {
        return notes.isEmpty() ? "" : notes.get(notes.size() - 1);
    }

    private static void fill(String baseUrl, String model, String label) {
        vm.providerProperty().set(ModelsViewModel.OPENAI);
        vm.baseUrlProperty().set(baseUrl);
        vm.apiKeyProperty().set("sk-view-model-test");
        vm.modelIdProperty().set(model);
        vm.labelProperty().set(label);
    }

    @Test
    @Order(1)
    void aProviderThatFailsItsTestIsAddedButNotMadeTheDefault() {
        fill(ScriptedModelServer.unreachableBaseUrl(), "nowhere", "Closed port");
        vm.submit();
        assertTrue(vm.messageProperty().get().contains("the provider test failed"), vm.messageProperty().get());
        assertTrue(vm.messageProperty().get().contains("not made the default"), vm.messageProperty().get());
        assertEquals(1, vm.models().size());
        Model bad = vm.models().get(0);
        assertFalse(bad.isDefault());
        assertTrue(ModelHealth.healthText(bad.health()).startsWith("✗ The provider at 127.0.0.1:"), bad.toString());
        assertTrue(ModelHealth.healthText(bad.health()).endsWith("is unreachable (connection refused)"), bad.toString());
    }

    @Test
    @Order(2)
    void theModelIsPickedFromTheProvidersListAndTestModelShowsLatency() {
        fill(provider.baseUrl(), "", "Scripted");
        vm.listModels();
        assertEquals(List.of("scripted-model", "scripted-model-large"), vm.availableModels());
        assertEquals("scripted-model", vm.modelIdProperty().get(), "the first listed model is offered");
        assertTrue(last().contains("with 2 models"), last());
        vm.modelIdProperty().set("scripted-model-large");
        vm.submit();
        assertEquals("", vm.messageProperty().get());
        assertTrue(last().contains("now the default model"), last());
        Model good = vm.models().stream().filter(m -> m.label().equals("Scripted")).findFirst().orElseThrow();
        assertTrue(good.isDefault());
        assertEquals("scripted-model-large", good.modelId());

        vm.testModel(good);
        assertTrue(last().matches("Scripted: the provider answered in \\d+ ms\\."), last());
        Model tested = vm.models().stream().filter(m -> m.id().equals(good.id())).findFirst().orElseThrow();
        assertTrue(ModelHealth.healthText(tested.health()).matches("✓ \\d+ ms"), tested.toString());
        assertEquals(0, provider.requestCount(), "testing lists models; it spends no tokens");
    }

    @Test
    @Order(3)
    void providersAndModelsAreEditedAndDeleted() {
        Model bad = vm.models().stream().filter(m -> m.label().equals("Closed port")).findFirst().orElseThrow();
        vm.editModel(bad);
        vm.labelProperty().set("Renamed");
        vm.submit();
        assertTrue(vm.models().stream().anyMatch(m -> m.id().equals(bad.id()) && m.label().equals("Renamed")));
        assertEquals(null, vm.editingProperty().get(), "saving ends the edit");

        var closed = vm.providers().stream().filter(p -> p.id().equals(bad.credentialId())).findFirst().orElseThrow();
        vm.editProvider(closed);
        assertEquals("", vm.apiKeyProperty().get(), "the stored key is never shown");
        vm.baseUrlProperty().set(provider.baseUrl());
        vm.submit();
        assertTrue(last().matches("Closed port: the provider answered in \\d+ ms\\."), last());
        assertEquals("ok", vm.providers().stream().filter(p -> p.id().equals(closed.id())).findFirst().orElseThrow().health().status());

        vm.deleteModel(vm.models().stream().filter(m -> m.id().equals(bad.id())).findFirst().orElseThrow());
        assertTrue(vm.models().stream().noneMatch(m -> m.id().equals(bad.id())));
        vm.deleteProvider(vm.providers().stream().filter(p -> p.id().equals(closed.id())).findFirst().orElseThrow());
        assertTrue(vm.providers().stream().noneMatch(p -> p.id().equals(closed.id())));
        assertEquals(1, vm.models().size());
    }

    @Test
    @Order(4)
    void aNewerResultReplacesAnEarlierFailureAtThePageTop() {
        fill(ScriptedModelServer.unreachableBaseUrl(), "nowhere", "Closed again");
        vm.submit();
        assertTrue(vm.messageProperty().get().contains("the provider test failed"), vm.messageProperty().get());
        Model good = vm.models().stream().filter(Model::isDefault).findFirst().orElseThrow();
        vm.setDefault(good); // the test route is rate limited: its ten requests a minute are spent above
        assertEquals(good.label() + " is now the default model.", last());
        assertEquals("", vm.messageProperty().get(), "the earlier add's failure is not left at the top beside the newer result");
    }
}
