package dev.appstrate.server.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.store.DatabaseUrl;
import dev.appstrate.server.testing.ServerProcess;
import dev.appstrate.server.testing.TestDatabases;
import dev.appstrate.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server process on PostgreSQL: the boot log names the engine (and at debug why); a wrong password exits 1. */
@Tag("postgresql")
class BootLogPostgresTest {
    @TempDir
    Path dataDir;

    @Test
    void theBootLogSaysPostgresqlAndWhyWithoutThePassword() throws Exception {
        String url = TestDatabases.createDatabase();
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        Process p = ServerProcess.builder(TestServer.env(dataDir, Map.of("DATABASE_URL", url, "LOG_LEVEL", "debug")))
                .redirectErrorStream(true).start();
        StringBuilder boot = new StringBuilder();
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    boot.append(line).append('\n');
                    if (line.contains("Server ready")) {
                        return true;
                    }
                }
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        try {
            assertTrue(ready.get(90, TimeUnit.SECONDS), "never ready: " + boot);
            String log = boot.toString();
            assertTrue(log.contains("Database: PostgreSQL (" + parsed.display() + ")"), log);
            assertTrue(log.contains("Database selection: DATABASE_URL is set (" + parsed.masked() + ") -> PostgreSQL"), log);
            assertTrue(log.contains("Core migrations applied"), log);
            assertFalse(log.contains(":" + parsed.effectivePassword() + "@"), "the password is never logged");
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWrongPasswordIsReportedAndTheProcessExits1() throws Exception {
        DatabaseUrl good = DatabaseUrl.parse(TestDatabases.createDatabase());
        String wrong = "postgres://" + good.user() + ":Wrong-Pass-77@" + good.display();
        ServerProcess.Result r = ServerProcess.run(TestServer.env(dataDir, Map.of("DATABASE_URL", wrong)), 90);
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("cannot connect to PostgreSQL at postgres://" + good.user() + ":***@" + good.display()),
                r.stderr());
        assertTrue(r.stderr().contains("password authentication failed"), r.stderr());
        assertTrue(r.stderr().contains("psql \"$DATABASE_URL\""), r.stderr());
        assertFalse((r.stdout() + r.stderr()).contains("Wrong-Pass-77"));
    }
}
