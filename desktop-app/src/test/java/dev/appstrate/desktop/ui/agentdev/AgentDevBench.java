package dev.appstrate.desktop.ui.agentdev;

import dev.appstrate.desktop.agentdev.AgentTemplate;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.concurrent.NamedExecutors;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.ui.Tasks;
import dev.appstrate.desktop.ui.UiTesting;
import dev.appstrate.desktop.ui.logs.LogLine;
import dev.appstrate.desktop.ui.logs.LogSink;
import dev.appstrate.desktop.ui.logs.SseLogSource;
import dev.appstrate.runner.testing.ScriptedModelServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Benchmark, not a test ({@code bench/agent-dev.sh}): save → re-validated folder on the FX thread; Run again →
 * first log line on the FX thread; {@code appstrate run} cold (no server) and against a running server, as a
 * real {@code java -jar target/appstrate-desktop.jar} subprocess. Prints {@code BENCH} lines (median, p90).
 */
@Tag("bench")
@ExtendWith(ApplicationExtension.class)
class AgentDevBench {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 10);

    @TempDir
    Path home;

    @Start
    void start(Stage stage) {
        // the FX toolkit only: results are published with Platform.runLater as on screen
    }

    @Test
    void saveToRevalidatedAndRunAgainToFirstLogLine() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.builder()
                .turn(ScriptedModelServer.Turn.toolCall("log", Map.of("message", "first line")))
                .turn(new ScriptedModelServer.Turn("", List.of(ScriptedModelServer.outputCall(Map.of("greeting", "Hi"))), 12, 7))
                .start();
             EmbeddedServer server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn", "INLINE_RUN_LIMITS", "{\"rate_per_min\":1000}"),
                     home.resolve("data"))) {
            AppstrateClient client = UiTesting.client(server);
            UiTesting.addModel(client, model.baseUrl());
            Path dir = home.resolve("agent");
            AgentTemplate.write(dir, "Bench");
            BlockingQueue<Long> checkedAt = new ArrayBlockingQueue<>(100);
            try (AgentFoldersViewModel vm = new AgentFoldersViewModel(client, home.resolve("vm"), Tasks.executor(), Platform::runLater,
                    NamedExecutors.namedDaemonPool("bench-folder-watch", 1))) {
                vm.onChecked(s -> checkedAt.add(System.nanoTime()));
                Platform.runLater(() -> vm.open(dir));
                checkedAt.poll(30, TimeUnit.SECONDS);
                List<Long> save = new ArrayList<>();
                for (int i = 0; i < ROUNDS + 2; i++) {
                    checkedAt.clear();
                    long t0 = System.nanoTime();
                    Files.writeString(dir.resolve("prompt.md"), "You greet people, version " + i + ". Use the name in the input.");
                    Long t1 = checkedAt.poll(30, TimeUnit.SECONDS);
                    if (i >= 2 && t1 != null) {
                        save.add(t1 - t0);
                    }
                }
                report("save → re-validated folder on the FX thread", save);

                BlockingQueue<String> started = new ArrayBlockingQueue<>(10);
                Platform.runLater(() -> vm.run(dir, DesktopJson.object().put("name", "Ada"), started::add));
                awaitEnd(client, started.poll(30, TimeUnit.SECONDS));
                List<Long> again = new ArrayList<>();
                for (int i = 0; i < ROUNDS + 2; i++) {
                    CountDownLatch firstLine = new CountDownLatch(1);
                    long[] shownAt = new long[1];
                    List<SseLogSource> sources = new ArrayList<>();
                    long t0 = System.nanoTime();
                    // as the app does: Run again → the run id → run detail attaches its log source → the line is put on screen
                    Platform.runLater(() -> vm.runAgain(id -> {
                        SseLogSource src = new SseLogSource(client, id, u -> { });
                        sources.add(src);
                        src.start(new LogSink() {
                            @Override
                            public void line(LogLine line) {
                                Platform.runLater(() -> {
                                    if (firstLine.getCount() > 0) {
                                        shownAt[0] = System.nanoTime();
                                        firstLine.countDown();
                                    }
                                });
                            }
                        });
                    }));
                    firstLine.await(30, TimeUnit.SECONDS);
                    if (i >= 2) {
                        again.add(shownAt[0] - t0);
                    }
                    Thread.sleep(50);
                    sources.forEach(SseLogSource::close);
                }
                report("Run again → first log line on the FX thread", again);
            }
            client.close();

            // the terminal command against this running server
            Path jar = Path.of("target/appstrate-desktop.jar");
            if (Files.isRegularFile(jar)) {
                String key = client(server).createApiKey("bench").path("key").asText();
                List<Long> warm = new ArrayList<>();
                for (int i = 0; i < Math.max(3, ROUNDS / 2) + 1; i++) {
                    long ms = command(jar, home.resolve("unused"), dir, model.baseUrl(), "--server", server.url(), "--api-key", key);
                    if (i >= 1) {
                        warm.add(ms * 1_000_000);
                    }
                }
                report("appstrate run with a running server (java -jar, output printed)", warm);
            } else {
                System.out.println("BENCH skipped the command benchmarks: build target/appstrate-desktop.jar first");
            }
        }
    }

    @Test
    void commandColdWithoutAServer() throws Exception {
        Path jar = Path.of("target/appstrate-desktop.jar");
        if (!Files.isRegularFile(jar)) {
            System.out.println("BENCH skipped: build target/appstrate-desktop.jar first");
            return;
        }
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("greeting", "Hi"))) {
            Path dir = home.resolve("agent");
            AgentTemplate.write(dir, "Cold");
            Path data = home.resolve("data");
            long first = command(jar, data, dir, model.baseUrl());
            System.out.println("BENCH appstrate run, no server, first use of a new data folder (secrets generated): " + first + " ms");
            List<Long> cold = new ArrayList<>();
            for (int i = 0; i < Math.max(3, ROUNDS / 2); i++) {
                cold.add(command(jar, data, dir, model.baseUrl()) * 1_000_000);
            }
            report("appstrate run, no server running (java -jar, embedded server started for the call, output printed)", cold);
        }
    }

    private static AppstrateClient client(EmbeddedServer server) {
        return UiTesting.client(server);
    }

    /** Milliseconds from starting {@code java -jar … run} to the output JSON fully printed on stdout. */
    private static long command(Path jar, Path data, Path agent, String modelUrl, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString(), "run", agent.toString(),
                "--input", "{\"name\":\"Ada\"}"));
        cmd.addAll(Arrays.asList(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DATA_DIR", data.toString());
        pb.environment().put("SYSTEM_PROVIDER_KEYS", "[{\"id\":\"scripted\",\"providerId\":\"openai-compatible\",\"baseUrlOverride\":\""
                + modelUrl + "\",\"apiKey\":\"sk-scripted\",\"models\":[{\"modelId\":\"scripted-model\",\"isDefault\":true}]}]");
        long t0 = System.nanoTime();
        Process p = pb.start();
        long printed = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.equals("}")) {
                    printed = System.nanoTime();
                }
            }
        }
        p.waitFor(60, TimeUnit.SECONDS);
        if (printed < 0 || p.exitValue() != 0) {
            throw new AssertionError("the command did not succeed: exit " + p.exitValue());
        }
        return (printed - t0) / 1_000_000;
    }

    private static void awaitEnd(AppstrateClient client, String runId) throws Exception {
        org.testfx.util.WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> List.of("success", "failed").contains(client.run(runId).path("status").asText()));
    }

    private static void report(String what, List<Long> nanos) {
        long[] ms = nanos.stream().mapToLong(n -> n / 1_000_000).sorted().toArray();
        if (ms.length == 0) {
            System.out.println("BENCH " + what + ": no samples");
            return;
        }
        System.out.println("BENCH " + what + ": median " + ms[ms.length / 2] + " ms, p90 " + ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.9) - 1)]
                + " ms, min " + ms[0] + " ms, max " + ms[ms.length - 1] + " ms (n=" + ms.length + ", load "
                + String.format(java.util.Locale.ROOT, "%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) + ")");
    }
}
