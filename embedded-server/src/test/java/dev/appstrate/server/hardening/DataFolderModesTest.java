package dev.appstrate.server.hardening;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15.6: the database, its WAL and shared-memory files and each run's runner.log are owner-only (0600). */
class DataFolderModesTest {
    @TempDir
    Path dataDir;

    @Test
    void databaseFilesAndRunnerLogsAreOwnerOnly() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("answer", 1));
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "modes", null);
            JsonNode run = awaitTerminal(s, startRun(s, "modes", "{\"input\":{}}").get("id").asText());
            assertEquals("success", run.get("status").asText(), run.toString());
            for (String name : new String[] {"appstrate.db", "appstrate.db-wal", "appstrate.db-shm"}) {
                Path f = dataDir.resolve(name);
                assertTrue(Files.exists(f), name);
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), name);
            }
            Path log = dataDir.resolve("runs").resolve(run.get("id").asText()).resolve("runner.log");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
        }
    }

    @Test
    void filesLeftReadableByAnOlderVersionAreTightenedAtBoot() throws Exception {
        try (TestServer s = TestServer.start(dataDir)) {
            assertEquals(200, s.get("/health").statusCode());
        }
        Path db = dataDir.resolve("appstrate.db");
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        try (TestServer s = TestServer.start(dataDir)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dataDir.resolve("appstrate.db-wal"))));
        }
    }
}
