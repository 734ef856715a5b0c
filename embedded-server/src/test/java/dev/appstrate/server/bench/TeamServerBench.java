package dev.appstrate.server.bench;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.testing.TestDatabases;
import dev.appstrate.server.testing.TestRedis;
import dev.appstrate.server.testing.TestServer;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The team-server setup against the laptop's, on the same machine at the same time: one server on embedded SQLite and
 * one on PostgreSQL + Redis, requests alternating between them so that both see the same load. Measures
 * {@code GET /api/agents} (5 agents; bench.requests each, after 50 warm-ups) and run overhead (POST …/run to terminal
 * success with an instant scripted model; bench.runs each, after 1 warm-up). Run with bench/runs.sh team.
 */
@Tag("bench")
class TeamServerBench {
    @Test
    void sqliteVersusPostgresAndRedis() throws Exception {
        int requests = Integer.getInteger("bench.requests", 300);
        int runs = Integer.getInteger("bench.runs", 9); // + 1 warm-up: under the run route's 20 a minute
        Map<String, String> team = Map.of("DATABASE_URL", TestDatabases.createDatabase(), "REDIS_URL", TestRedis.freshDatabase());
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("answer", 1));
             TestServer laptop = TestServer.start(Files.createTempDirectory("bench-sqlite"), Map.of("DATABASE_URL", ""));
             TestServer shared = TestServer.start(Files.createTempDirectory("bench-team"), team)) {
            List<TestServer> both = List.of(laptop, shared);
            for (TestServer s : both) {
                addModel(s, "openai-compatible", model.baseUrl());
                for (int i = 1; i <= 5; i++) {
                    addAgent(s, "agent-" + i, null);
                }
            }
            List<List<Long>> list = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < 2 * (requests + 50); i++) {
                TestServer s = both.get(i % 2);
                long t0 = System.nanoTime();
                HttpResponse<String> r = s.get("/api/agents");
                long us = (System.nanoTime() - t0) / 1000;
                if (r.statusCode() != 200) {
                    throw new AssertionError("GET /api/agents " + r.statusCode() + " " + r.body());
                }
                if (i >= 100) {
                    list.get(i % 2).add(us);
                }
            }
            List<List<Long>> overhead = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < 2 * (runs + 1); i++) {
                TestServer s = both.get(i % 2);
                long t0 = System.nanoTime();
                HttpResponse<String> r = s.post("/api/agents/@local/agent-1/run", "{}");
                if (r.statusCode() != 201) {
                    throw new AssertionError("run not started: " + r.statusCode() + " " + r.body());
                }
                JsonNode run = TestServer.json(s.get("/api/runs/" + TestServer.json(r).get("id").asText() + "?wait=55"));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (!run.get("status").asText().equals("success")) {
                    throw new AssertionError("run did not succeed: " + run);
                }
                if (i >= 2) {
                    overhead.get(i % 2).add(ms);
                }
            }
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            String[] names = {"sqlite", "postgres+redis"};
            for (int k = 0; k < 2; k++) {
                List<Long> a = sorted(list.get(k));
                List<Long> o = sorted(overhead.get(k));
                System.out.printf("BENCH team-server engine=%s agents_requests=%d agents_p50_ms=%.2f agents_p99_ms=%.2f "
                                + "runs=%d run_median_ms=%d run_min_ms=%d run_max_ms=%d load=%.1f%n", names[k], a.size(),
                        a.get(a.size() / 2) / 1000.0, a.get((int) (a.size() * 0.99)) / 1000.0, o.size(), o.get(o.size() / 2),
                        o.get(0), o.get(o.size() - 1), load);
            }
        }
    }

    private static List<Long> sorted(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s;
    }
}
