package dev.appstrate.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.testing.LiveServerProcess;
import dev.appstrate.server.testing.ServerProcess;
import dev.appstrate.server.testing.TestRedis;
import dev.appstrate.server.testing.TestServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's own process with REDIS_URL: the boot log names the mode; an unreachable Redis exits 1 with a how-to. */
class RedisBootTest {
    @TempDir
    Path dataDir;

    @Test
    void withRedisTheBootLogSaysSoAndHidesThePassword() throws Exception {
        String url = TestRedis.freshDatabase();
        Map<String, String> env = new HashMap<>(TestServer.env(dataDir, Map.of("REDIS_URL", url, "LOG_LEVEL", "info")));
        try (LiveServerProcess server = LiveServerProcess.start(env)) {
            String boot = server.output();
            assertTrue(boot.contains("Infrastructure mode: redis (queue, pubsub, cache, rateLimit) url=redis://"), boot);
            assertTrue(boot.contains("Instance heartbeat started"), boot);
        }
    }

    @Test
    void anUnreachableRedisStopsTheBootWithExitOne() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(TestServer.env(dataDir,
                Map.of("REDIS_URL", "redis://:hunter2-secret@127.0.0.1:" + closed + "/0", "LOG_LEVEL", "info")));
        ServerProcess.Result r = ServerProcess.run(env, 90);
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("Redis connection failed: cannot reach redis://:***@127.0.0.1:" + closed + "/0 (REDIS_URL)"),
                r.stderr());
        assertTrue(r.stderr().contains("redis-cli -u \"$REDIS_URL\" ping"), r.stderr());
        assertFalse((r.stdout() + r.stderr()).contains("hunter2"), "the password never printed");
    }
}
