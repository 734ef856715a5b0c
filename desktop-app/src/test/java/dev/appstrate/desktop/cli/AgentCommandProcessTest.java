package dev.appstrate.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.agentdev.AgentTemplate;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.runner.testing.ScriptedModelServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code appstrate run|validate} as a script uses it: a real JVM, its exit code, stdout and stderr apart. */
class AgentCommandProcessTest {
    static ScriptedModelServer model;
    @TempDir
    static Path home;
    static Path agent;

    record Result(int exit, String stdout, String stderr) {
    }

    @BeforeAll
    static void setUp() throws Exception {
        model = ScriptedModelServer.builder()
                .turn(ScriptedModelServer.Turn.toolCall("log", Map.of("message", "greeting Ada now")))
                .turn(new ScriptedModelServer.Turn("", List.of(ScriptedModelServer.outputCall(Map.of("greeting", "Hello Ada"))), 20, 9))
                .start();
        agent = home.resolve("my-agent");
        AgentTemplate.write(agent, "My agent");
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    static Result appstrate(Path dataDir, String modelUrl, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.appstrate.desktop.Launcher"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("DATA_DIR", dataDir.toString());
        env.remove("APPSTRATE_URL");
        env.remove("APPSTRATE_API_KEY");
        env.put("SYSTEM_PROVIDER_KEYS", "[{\"id\":\"scripted\",\"providerId\":\"openai-compatible\",\"baseUrlOverride\":\"" + modelUrl
                + "\",\"apiKey\":\"sk-scripted-model\",\"models\":[{\"modelId\":\"scripted-model\",\"isDefault\":true}]}]");
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command ends");
        return new Result(p.exitValue(), out, err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSuccessfulRunPrintsOnlyTheOutputJsonOnStdoutAndItsLogOnStderr(@TempDir Path data) throws Exception {
        Result r = appstrate(data, model.baseUrl(), "run", agent.toString(), "--input", "{\"name\":\"Ada\"}");
        assertEquals(0, r.exit(), r.stderr());
        JsonNode out = DesktopJson.MAPPER.readTree(r.stdout());
        assertEquals(DesktopJson.object().put("greeting", "Hello Ada"), out, r.stdout());
        assertEquals(DesktopJson.pretty(out) + System.lineSeparator(), r.stdout(), "stdout is exactly the output JSON");
        assertTrue(r.stderr().contains("greeting Ada now"), r.stderr());
        assertTrue(r.stderr().matches("(?s).*Run run_\\S+ succeeded.*"), r.stderr());
        assertTrue(!r.stderr().contains("\u001b["), "no colour when stderr is not a terminal");
    }

    @Test
    void invalidInputOrFolderExitsTwoWithoutRunning(@TempDir Path data) throws Exception {
        Result missingName = appstrate(data, model.baseUrl(), "run", agent.toString(), "--input", "{}");
        assertEquals(2, missingName.exit(), missingName.stderr());
        assertEquals("", missingName.stdout());
        assertTrue(missingName.stderr().contains("input"), missingName.stderr());

        Path broken = home.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("manifest.json"), "{ \"name\": ");
        Result badFolder = appstrate(data, model.baseUrl(), "run", broken.toString());
        assertEquals(2, badFolder.exit(), badFolder.stderr());
        assertTrue(badFolder.stderr().contains("manifest.json is not valid JSON"), badFolder.stderr());
        assertTrue(badFolder.stderr().contains("prompt.md is missing"), badFolder.stderr());
        assertEquals("", badFolder.stdout());

        Result notJson = appstrate(data, model.baseUrl(), "run", agent.toString(), "--input", "name=Ada");
        assertEquals(2, notJson.exit(), notJson.stderr());
    }

    @Test
    void validateChecksWithoutRunning(@TempDir Path data) throws Exception {
        int before = model.requests().size();
        Result r = appstrate(data, model.baseUrl(), "validate", agent.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("{\"valid\":true}", r.stdout().trim());
        assertEquals(before, model.requests().size(), "no model call");
    }

    @Test
    void aFailedRunExitsOneWithTheErrorOnStderr(@TempDir Path data) throws Exception {
        Result r = appstrate(data, ScriptedModelServer.unreachableBaseUrl(), "run", agent.toString(), "--input", "{\"name\":\"Ada\"}");
        assertEquals(1, r.exit(), r.stderr());
        assertEquals("", r.stdout());
        assertTrue(r.stderr().matches("(?s).*Run run_\\S+ (failed|timeout).*"), r.stderr());
    }
}
