package dev.appstrate.server.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.testing.ServerProcess;
import dev.appstrate.server.testing.TestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A DATABASE_URL nobody answers: the server says what it tried and how to test it, never the password, and exits 1. */
class DatabaseRefusedTest {
    @TempDir
    Path dataDir;

    @Test
    void aRefusedDatabaseIsReportedAtBootAndTheProcessExits1() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // free now, closed when the server connects
        }
        Map<String, String> env = new HashMap<>(TestServer.env(dataDir, Map.of(
                "DATABASE_URL", "postgres://appstrate:Secret-Pass-42@127.0.0.1:" + closedPort + "/appstrate?sslmode=disable",
                "LOG_LEVEL", "info")));
        ServerProcess.Result r = ServerProcess.run(env, 90);
        assertEquals(1, r.exitCode(), "exit code; stderr=" + r.stderr());
        String err = r.stderr();
        assertTrue(err.contains("Database connection refused"), err);
        assertTrue(err.contains("postgres://appstrate:***@127.0.0.1:" + closedPort + "/appstrate?sslmode=disable"),
                "what was tried, password masked: " + err);
        assertTrue(err.contains("psql \"$DATABASE_URL\""), "how to test it: " + err);
        assertTrue(err.toLowerCase().contains("refused"), "the driver's reason: " + err);
        assertFalse((r.stdout() + err).contains("Secret-Pass-42"), "the password is never printed");
        assertFalse(Files.exists(dataDir.resolve("appstrate.db")), "no SQLite fallback behind the user's back");
    }
}
