package dev.appstrate.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.AppstrateServer;
import dev.appstrate.server.DataFolderInUseException;
import dev.appstrate.server.config.EnvConfigLoader;
import dev.appstrate.server.testing.ServerProcess;
import dev.appstrate.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15.2: a second server on the same data folder exits at once, naming the first; the first is untouched. */
class OneServerPerDataFolderTest {
    @TempDir
    Path dataDir;

    @Test
    void aSecondServerProcessExitsNamingTheFirstAndTheFirstKeepsWorking() throws Exception {
        try (TestServer first = TestServer.start(dataDir)) {
            String agentsBefore = first.get("/api/agents").body();
            ServerProcess.Result second = ServerProcess.run(TestServer.env(dataDir, Map.of()), 60);
            assertEquals(1, second.exitCode(), second.stderr());
            String message = second.stderr().strip();
            assertTrue(message.contains("pid " + ProcessHandle.current().pid()), message);
            assertTrue(message.contains("port " + first.server().port()), message);
            assertTrue(message.contains(dataDir.toString()), message);
            assertEquals(200, first.get("/health").statusCode());
            assertEquals(agentsBefore, first.get("/api/agents").body());
        }
    }

    @Test
    void aSecondServerInTheSameProcessIsRefusedAndTheFolderIsFreeAfterStop() {
        try (TestServer first = TestServer.start(dataDir)) {
            AppstrateServer second = new AppstrateServer(EnvConfigLoader.load(TestServer.env(dataDir, Map.of())), Clock.systemUTC());
            DataFolderInUseException e = assertThrows(DataFolderInUseException.class, second::start);
            assertEquals(String.valueOf(first.server().port()), e.holderPort());
            second.stop();
            assertEquals(200, first.get("/health").statusCode());
        }
        try (TestServer again = TestServer.start(dataDir)) {
            assertEquals(200, again.get("/health").statusCode());
        }
    }
}
