package dev.appstrate.server.bench;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.testing.TestRedis;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run overhead: POST …/run to terminal success with a model that answers at once (one `output`
 * turn), median of 18 sequential runs after 2 warm-ups (the run route allows 20 a minute). Run with bench/runs.sh.
 */
@Tag("bench")
class RunOverheadBench {
    @TempDir
    Path dataDir;

    /** bench.redis=true adds REDIS_URL (with -Dappstrate.test.database=postgresql: the team-server setup). */
    static Map<String, String> infrastructure() {
        return Boolean.getBoolean("bench.redis") ? Map.of("REDIS_URL", TestRedis.freshDatabase()) : Map.of();
    }

    @Test
    void runOverhead() throws Exception {
        int runs = Integer.getInteger("bench.runs", 18); // + 2 warm-ups = the run route's 20 per minute
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("answer", 1));
             TestServer s = TestServer.start(dataDir, infrastructure())) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "instant", null);
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < runs + 2; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = s.post("/api/agents/@local/instant/run", "{}");
                if (r.statusCode() != 201) {
                    throw new AssertionError("run " + i + " not started: " + r.statusCode() + " " + r.body());
                }
                String id = TestServer.json(r).get("id").asText();
                JsonNode run = TestServer.json(s.get("/api/runs/" + id + "?wait=55"));
                long t = (System.nanoTime() - t0) / 1_000_000;
                if (!run.get("status").asText().equals("success")) {
                    throw new AssertionError("run did not succeed: " + run);
                }
                if (i >= 2) {
                    ms.add(t);
                }
            }
            List<Long> sorted = new ArrayList<>(ms);
            Collections.sort(sorted);
            System.out.printf("BENCH run-overhead" + (Boolean.getBoolean("bench.redis") ? "-redis" : "") + " runs=%d median_ms=%d p90_ms=%d min_ms=%d max_ms=%d all=%s%n", runs,
                    sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1), sorted.get(0),
                    sorted.get(sorted.size() - 1), ms);
        }
    }
}
