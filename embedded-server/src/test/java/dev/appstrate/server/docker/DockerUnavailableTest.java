package dev.appstrate.server.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a reachable engine the server still boots and works, and says why Docker is unavailable. */
class DockerUnavailableTest {

    @Test
    void missingSocketIsReportedWithReasonAndFixAndTheServerWorks(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("no-such-dir/docker.sock");
        try (TestServer server = TestServer.start(dir.resolve("data"),
                Map.of("DOCKER_HOST", "unix://" + socket))) {
            HttpResponse<String> health = server.get("/health");
            assertEquals(200, health.statusCode(), "a process-mode server without Docker stays healthy: " + health.body());
            JsonNode docker = Json.MAPPER.readTree(health.body()).path("checks").path("docker");
            assertFalse(docker.path("available").asBoolean(true));
            assertEquals("unavailable", docker.path("status").asText());
            assertTrue(docker.path("reason").asText().contains(socket.toString()), docker.toString());
            assertTrue(docker.path("hint").asText().contains("DOCKER_HOST"), docker.toString());

            JsonNode status = Json.MAPPER.readTree(server.get("/api/docker").body());
            assertFalse(status.path("available").asBoolean(true));
            assertEquals("process", status.path("run_adapter").asText());

            HttpResponse<String> resources = server.get("/api/docker/resources");
            assertEquals(503, resources.statusCode());
            JsonNode problem = Json.MAPPER.readTree(resources.body());
            assertEquals("docker_unavailable", problem.path("code").asText());
            assertTrue(problem.path("detail").asText().contains(socket.toString()));

            HttpResponse<String> cleanup = server.post("/api/docker/cleanup", "{\"dryRun\":true,\"ids\":null}");
            assertEquals(503, cleanup.statusCode());
        }
    }

    @Test
    void dockerModeWithoutDockerIsDegradedNotDown(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("docker.sock");
        try (TestServer server = TestServer.start(dir.resolve("data"),
                Map.of("DOCKER_HOST", "unix://" + socket, "RUN_ADAPTER", "docker"))) {
            HttpResponse<String> health = server.get("/health");
            assertEquals(200, health.statusCode(), health.body());
            JsonNode body = Json.MAPPER.readTree(health.body());
            assertEquals("degraded", body.path("status").asText());
            assertEquals("degraded", body.path("checks").path("docker").path("status").asText());
            assertEquals("healthy", body.path("checks").path("database").path("status").asText());
        }
    }

    @Test
    void aDockerRunFailsSayingWhyAndProcessRunsAreUnaffected(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("gone/docker.sock");
        try (dev.appstrate.runner.testing.ScriptedModelServer model =
                     dev.appstrate.runner.testing.ScriptedModelServer.instant(Map.of("answer", 1))) {
            try (TestServer docker = TestServer.start(dir.resolve("docker-data"),
                    Map.of("DOCKER_HOST", "unix://" + socket, "RUN_ADAPTER", "docker"))) {
                dev.appstrate.server.testing.RunFixtures.addModel(docker, "openai-compatible", model.baseUrl());
                dev.appstrate.server.testing.RunFixtures.addAgent(docker, "boxed", null);
                JsonNode run = dev.appstrate.server.testing.RunFixtures.awaitTerminal(docker,
                        dev.appstrate.server.testing.RunFixtures.startRun(docker, "boxed", "{}").get("id").asText());
                assertEquals("failed", run.path("status").asText(), run.toString());
                String error = run.path("error").asText();
                assertTrue(error.contains("Docker is unavailable") && error.contains(socket.toString()), error);
                assertTrue(error.contains("DOCKER_HOST"), "says what to do: " + error);
                assertEquals(0, model.requestCount(), "nothing ran");
            }
            try (TestServer process = TestServer.start(dir.resolve("process-data"), Map.of("DOCKER_HOST", "unix://" + socket))) {
                dev.appstrate.server.testing.RunFixtures.addModel(process, "openai-compatible", model.baseUrl());
                dev.appstrate.server.testing.RunFixtures.addAgent(process, "local", null);
                JsonNode run = dev.appstrate.server.testing.RunFixtures.awaitTerminal(process,
                        dev.appstrate.server.testing.RunFixtures.startRun(process, "local", "{}").get("id").asText());
                assertEquals("success", run.path("status").asText(), "process runs do not need Docker: " + run);
            }
        }
    }

    @Test
    void socketWithoutPermissionSaysToJoinTheDockerGroup(@TempDir Path dir) throws Exception {
        Path socket = java.nio.file.Files.createFile(dir.resolve("docker.sock"));
        java.nio.file.Files.setPosixFilePermissions(socket, java.util.Set.of());
        org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.isWritable(socket),
                "running as root: permissions are not enforced, nothing to observe");
        DockerEngine engine = new DockerEngine(DockerEndpoint.discover("unix://" + socket, k -> null), java.time.Clock.systemUTC());
        DockerStatus s = engine.refresh();
        assertFalse(s.available());
        assertTrue(s.hint().contains("docker' group"), s.hint());
        engine.close();
    }

    @Test
    void badDockerHostIsAConfigError() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.appstrate.server.config.ConfigException.class,
                () -> dev.appstrate.server.config.EnvConfigLoader.load(Map.of("BETTER_AUTH_SECRET", "x",
                        "UPLOAD_SIGNING_SECRET", "0123456789abcdef0123",
                        "CONNECTION_ENCRYPTION_KEY", "0Hg7kYOKc3qHBX1+QMlQP1FwzM08ecGUrBDbHK1Ver0=",
                        "DOCKER_HOST", "/var/run/docker.sock")));
        assertTrue(e.getMessage().contains("DOCKER_HOST"), e.getMessage());
    }
}
