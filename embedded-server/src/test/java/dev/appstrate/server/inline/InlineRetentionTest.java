package dev.appstrate.server.inline;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.testing.InlineAgents;
import dev.appstrate.server.testing.MutableClock;
import dev.appstrate.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** INLINE_RUN_LIMITS.retention_days: inline runs and their ephemeral packages go after it, by the injected clock, across restarts. */
class InlineRetentionTest {
    @TempDir
    Path dataDir;

    @Test
    void inlineRunsArePurgedAfterRetentionEvenAcrossARestartAndOtherRunsStay() {
        // runs need the server's clock near real time (the runner signs its events with real time): runs first, then time travel
        Instant t0 = Instant.now();
        MutableClock clock = new MutableClock(t0);
        Map<String, String> env = Map.of("INLINE_RUN_LIMITS", "{\"retention_days\":7}");
        String older;
        String younger;
        String packageRun;
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("answer", 1, "greeting", "Hello Ada"))) {
            try (TestServer s = TestServer.start(dataDir, env, clock)) {
                addModel(s, "openai-compatible", model.baseUrl());
                addAgent(s, "keeper", null);
                older = InlineAgents.start(s, InlineAgents.body(InlineAgents.manifest(), InlineAgents.PROMPT,
                        InlineAgents.input("Ada"))).get("id").asText();
                packageRun = startRun(s, "keeper", "{}").get("id").asText();
                assertEquals("success", awaitTerminal(s, older).get("status").asText());
                assertEquals("success", awaitTerminal(s, packageRun).get("status").asText());
                clock.advance(Duration.ofSeconds(10));
                younger = InlineAgents.start(s, InlineAgents.body(InlineAgents.manifest(), InlineAgents.PROMPT,
                        InlineAgents.input("Bob"))).get("id").asText();
                assertEquals("success", awaitTerminal(s, younger).get("status").asText());
                assertTrue(Files.isDirectory(dataDir.resolve("runs").resolve(older)));

                // a day short of retention: nothing goes
                clock.advance(Duration.ofDays(6));
                assertEquals(0, s.server().components().inlineRetention().purgeExpired());
                assertEquals(200, s.get("/api/runs/" + older).statusCode());
            }
            // the server is down when the older run expires; the purge happens at the next boot, from what the database holds
            clock.advance(Duration.between(clock.instant(), t0.plus(Duration.ofDays(7)).plusSeconds(5)));
            try (TestServer s = TestServer.start(dataDir, env, clock)) {
                assertEquals(404, s.get("/api/runs/" + older).statusCode(), "expired inline run is gone");
                assertEquals(404, s.get("/api/runs/" + older + "/logs").statusCode());
                assertFalse(Files.exists(dataDir.resolve("runs").resolve(older)), "its run folder is gone");
                assertEquals(200, s.get("/api/runs/" + packageRun).statusCode(), "runs of installed agents are not inline runs");
                assertEquals(200, s.get("/api/runs/" + younger).statusCode(), "a younger inline run stays");
                assertEquals(1, TestServer.json(s.get("/api/runs?kind=inline")).get("total").asInt());

                // the running server purges by the same clock (its timer calls this hourly)
                clock.advance(Duration.ofSeconds(10));
                assertEquals(1, s.server().components().inlineRetention().purgeExpired());
                assertEquals(404, s.get("/api/runs/" + younger).statusCode());
                assertEquals(0, TestServer.json(s.get("/api/runs?kind=inline")).get("total").asInt());
                assertEquals(1, TestServer.json(s.get("/api/runs")).get("total").asInt());
            }
        }
    }
}
