package dev.appstrate.runner;

import dev.appstrate.runner.testing.RunnerProcess;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.SinkRecorder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Measures (does not assert) spawn → finalize received and spawn → exit for a one-turn run against an
 * instant model, with default JVM flags and with the startup flags the README recommends, after one
 * discarded warm-up run (so the loopback test servers are warm). Results go to stdout
 * (target/surefire-reports/dev.appstrate.runner.RunnerStartupMeasurementTest-output.txt). A benchmark: run it with
 * {@code mvn -pl agent-runner -am test -Dtest=RunnerStartupMeasurementTest -Dsurefire.excludedGroups=}.
 */
@Tag("bench")
class RunnerStartupMeasurementTest {
    private static final int RUNS = 2;

    @TempDir
    Path workspace;

    @Test
    void measureStartToFinalize() throws Exception {
        List<String> report = new ArrayList<>();
        measure("default flags", List.of(), report);
        measure("-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto",
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"), report);
        System.out.println("agent-runner startup (instant model, " + RUNS + " runs each, ms):");
        report.forEach(System.out::println);
    }

    private void measure(String label, List<String> flags, List<String> report) throws Exception {
        List<Long> toFinalize = new ArrayList<>();
        List<Long> toExit = new ArrayList<>();
        String lastStderr = "";
        for (int i = -1; i < RUNS; i++) {
            try (SinkRecorder sink = SinkRecorder.start();
                 ScriptedModelServer model = ScriptedModelServer.instant(Map.of("greeting", "hello"))) {
                String runId = "run_measure_" + (i + 1);
                Map<String, String> env = new LinkedHashMap<>(sink.sinkEnv(runId));
                env.put("AGENT_RUN_ID", runId);
                env.put("AGENT_PROMPT", "Call the output tool with a short greeting.");
                env.put("MODEL_API", "openai-completions");
                env.put("MODEL_ID", "instant");
                env.put("MODEL_BASE_URL", model.baseUrl());
                env.put("MODEL_API_KEY", "sk-placeholder");
                env.put("WORKSPACE_DIR", workspace.toString());
                long t0 = System.nanoTime();
                RunnerProcess.Result r = RunnerProcess.run(env, Duration.ofSeconds(30), flags.toArray(String[]::new));
                assertEquals(0, r.exitCode(), r.stderr());
                long finalizeAt = sink.finalizeRequest().orElseThrow().at().toEpochMilli();
                long spawnAt = System.currentTimeMillis() - Duration.ofNanos(System.nanoTime() - t0).toMillis();
                if (i < 0) {
                    continue;
                }
                toFinalize.add(finalizeAt - spawnAt);
                toExit.add(r.elapsed().toMillis());
                lastStderr = r.stderr();
            }
        }
        report.add(String.format("  %-55s spawn->finalize %s  spawn->exit %s", label, toFinalize, toExit));
        report.add("    last run stderr: " + lastStderr.strip().replace("\n", "\n    "));
    }
}
