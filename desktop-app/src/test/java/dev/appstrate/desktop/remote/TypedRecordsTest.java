package dev.appstrate.desktop.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.client.AgentsApi;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.ModelsApi;
import dev.appstrate.desktop.client.Run;
import dev.appstrate.desktop.client.RunPage;
import dev.appstrate.desktop.client.RunsApi;
import dev.appstrate.desktop.client.ServerEndpoint;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The typed records screens read are filled from the original's recorded answers, whose extra fields they ignore. */
class TypedRecordsTest {
    private static final String AGENT = "@bench-org/hello-world";
    static OriginalFixtureServer fixture;
    static AppstrateClient client;

    @BeforeAll
    static void start() {
        fixture = new OriginalFixtureServer();
        client = new AppstrateClient(new ServerEndpoint(fixture.url(), fixture.fullKey(), false));
        client.applicationId(OriginalFixtureServer.APPLICATION_ID);
    }

    @AfterAll
    static void stop() {
        client.close();
        fixture.close();
    }

    @Test
    void agentsAndTheirDetailReadIntoRecords() {
        AgentsApi api = new AgentsApi(client);
        AgentsApi.Agent first = api.list().get(0);
        assertEquals(AGENT, first.id());
        assertEquals("Hello World", first.displayName());
        AgentsApi.Detail d = api.detail(AGENT);
        assertEquals(AGENT, d.id());
        assertEquals("Hello World", d.title());
        assertTrue(d.manifest().isObject(), d.toString());
        assertEquals(List.of(), api.versions(AGENT));
    }

    @Test
    void runsReadIntoRecords() {
        RunsApi api = new RunsApi(client);
        RunPage failed = api.page(null, "failed", 5, 0);
        assertTrue(failed.totalOr() >= 1);
        Run run = failed.data().get(0);
        assertEquals("failed", run.status());
        assertEquals("Connection error.", run.errorMessage());
        assertFalse(run.agent().isEmpty());
        assertEquals(run.id(), api.get(run.id()).id());
    }

    @Test
    void modelsReadIntoRecords() {
        List<ModelsApi.Model> models = new ModelsApi(client).models();
        assertEquals(1, models.size());
        ModelsApi.Model m = models.get(0);
        assertEquals("fake-model", m.modelId());
        assertEquals("openai-compatible", m.providerId());
        assertEquals("3f99cbd9-357a-4980-8a82-2fe97cd3e46f", m.credentialId());
        assertTrue(m.isDefault());
        assertEquals(ModelsApi.Health.UNTESTED, m.health());
    }

    @Test
    void healthChecksAreOptional() {
        // the original reports no docker or run-adapter check: screens say "not reported", never blank
        assertTrue(client.health().check("docker").isEmpty());
        assertEquals("healthy", client.health().check("agents").orElseThrow().status());
    }
}
