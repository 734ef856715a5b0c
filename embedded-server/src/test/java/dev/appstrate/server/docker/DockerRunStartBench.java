package dev.appstrate.server.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.SinkRecorder;
import dev.appstrate.server.config.DockerSettings;
import dev.appstrate.server.config.RunLimits;
import dev.appstrate.server.runs.adapter.RunLaunch;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test (surefire does not pick *Bench up; bench/docker-run-start.sh runs it): time from
 * the adapter's start to the agent container running, with SIDECAR_POOL_SIZE=0 and =2, and the
 * sidecar's share of it. Each run completes before the next starts; with a pool, the pool is full again.
 */
class DockerRunStartBench {
    private static final int RUNS = Integer.getInteger("bench.runs", 10);

    @TempDir
    Path dir;

    @Test
    void runStartWithAndWithoutSidecarPool() throws Exception {
        DockerEngine engine = DockerTestEngine.require();
        StringBuilder report = new StringBuilder();
        for (int poolSize : new int[]{0, 2}) {
            List<Long> total = new ArrayList<>();
            List<Long> sidecar = new ArrayList<>();
            try (SinkRecorder sink = SinkRecorder.start();
                 ScriptedModelServer model = ScriptedModelServer.instant(Map.of("ok", true))) {
                DockerRunAdapter adapter = new DockerRunAdapter(engine, new ImageProvisioner(engine, dir.resolve("docker")),
                        DockerSettings.defaults(), RunLimits.defaults(), poolSize,
                        List.of(java.net.URI.create(sink.baseUrl()).getPort(), model.port()),
                        ConcurrentHashMap.newKeySet(), "srv_bench", Clock.systemUTC());
                try {
                    adapter.prepare();
                    for (int i = 0; i < RUNS + 1; i++) {
                        while (adapter.pool().ready() < poolSize) {
                            Thread.sleep(50);
                        }
                        String runId = "run_" + UUID.randomUUID();
                        Map<String, String> env = new HashMap<>(sink.sinkEnv(runId));
                        env.put("AGENT_RUN_ID", runId);
                        env.put("AGENT_PROMPT", "bench");
                        env.put("MODEL_API", "openai-completions");
                        env.put("MODEL_ID", "scripted");
                        env.put("MODEL_BASE_URL", model.baseUrl());
                        env.put("MODEL_API_KEY", "placeholder");
                        CompletableFuture<Integer> exit = new CompletableFuture<>();
                        long t0 = System.nanoTime();
                        adapter.start(new RunLaunch(runId, dir.resolve(runId), env, 60, 512, 1, exit::complete));
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        InspectContainerResponse agent = engine.api().inspectContainerCmd("appstrate-agent-" + runId).exec();
                        boolean running = Boolean.TRUE.equals(agent.getState().getRunning())
                                || agent.getState().getFinishedAt() != null;
                        if (!running) {
                            throw new AssertionError("agent not started when start() returned");
                        }
                        if (i > 0) { // the first run warms caches
                            total.add(ms);
                            sidecar.add(adapter.lastStart().sidecarMs());
                        }
                        exit.get(120, TimeUnit.SECONDS);
                    }
                } finally {
                    adapter.close();
                }
            }
            report.append(String.format("SIDECAR_POOL_SIZE=%d runs=%d start_to_agent_running_median_ms=%d sidecar_share_median_ms=%d "
                            + "all_ms=%s%n", poolSize, RUNS, median(total), median(sidecar), total));
        }
        System.out.print(report);
        java.nio.file.Files.writeString(Path.of(System.getProperty("bench.out", "target/docker-run-start.txt")), report);
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return s.isEmpty() ? -1 : s.get((s.size() - 1) / 2);
    }
}
