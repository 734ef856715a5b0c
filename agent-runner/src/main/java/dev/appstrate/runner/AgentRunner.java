package dev.appstrate.runner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.runner.model.ModelClient;
import dev.appstrate.runner.model.ModelHttp;
import dev.appstrate.runner.model.ModelSettings;
import dev.appstrate.runner.http.HttpTransport;
import dev.appstrate.runner.tools.ChildProcesses;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import dev.appstrate.runner.concurrent.NamedExecutors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Entry point of one agent run (spawned by the server as a subprocess or in a container).
 *
 * <p>Reads the env contract ({@link RunnerConfig}), runs the {@link AgentLoop} under the
 * {@code AGENT_TIMEOUT_SECONDS} watchdog, reports through the signed {@link EventSink} and finalizes.
 * Exit code 0 when the run succeeded, 1 otherwise (failed, timeout, bad env, sink closed by the server).
 * On SIGTERM the JVM's shutdown hook kills tool processes and the runner exits without finalizing:
 * the server owns the cancelled terminal state.
 */
public final class AgentRunner {
    private static final Duration DRAIN_BEFORE_FINALIZE = Duration.ofSeconds(10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private AgentRunner() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv()));
    }

    static int run(Map<String, String> env) {
        long mainStart = System.currentTimeMillis();
        long coldStartMs = processAgeMillis();
        RunnerLog.enableDebug("true".equalsIgnoreCase(env.get("AGENT_RUNNER_DEBUG")));
        Clock clock = Clock.systemUTC();
        HttpTransport http = HttpTransport.create(CONNECT_TIMEOUT);

        RunnerConfig config;
        try {
            config = RunnerConfig.fromEnv(env);
        } catch (RunnerConfig.Invalid e) {
            return reportInvalidEnv(e, http, clock, mainStart);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::killAll, "kill-tool-processes"));
        RunnerLog.info("run starting", "runId", config.runId(), "modelApi", config.modelApi(),
                "model", config.modelId(), "stream", config.modelStream(), "timeoutSeconds", config.timeoutSeconds());

        try (EventSink sink = new EventSink(config.sink(), http, clock)) {
            sink.startHeartbeat(Duration.ofSeconds(config.heartbeatIntervalSeconds()));
            ModelHttp modelHttp = new ModelHttp(http,
                    config.modelRetry() ? ModelHttp.RetryPolicy.DEFAULT : ModelHttp.RetryPolicy.NONE);
            ModelClient model = ModelClient.create(config.modelApi(), modelHttp, new ModelSettings(
                    URI.create(config.modelApi().endpoint(config.modelBaseUrl())), config.modelId(),
                    config.modelApiKey(), config.modelStream(), config.modelMaxTokens(), config.modelTemperature()));
            AgentLoop loop = new AgentLoop(config, model, sink, clock::millis);

            long readyMs = clock.millis() - mainStart;
            ObjectNode boot = Json.object().put("boot", true).put("coldStartMs", coldStartMs)
                    .put("totalToReadyMs", readyMs + Math.max(coldStartMs, 0));
            sink.emit("appstrate.progress", Json.object()
                    .put("message", "runtime ready in " + (readyMs + Math.max(coldStartMs, 0)) + "ms")
                    .put("level", "info").set("data", boot));

            RunOutcome outcome;
            try {
                outcome = runWithWatchdog(loop, config);
            } catch (RuntimeException e) {
                RunnerLog.error("runner failed", "error", e.toString());
                outcome = RunOutcome.failed("Runner crashed: " + e, "runner_crashed");
                loop.emitError(outcome.message(), null);
            }
            if (sink.sinkClosed()) {
                RunnerLog.warn("sink closed by the server before finalize; exiting without finalize",
                        "runId", config.runId());
                return 1;
            }
            OutputsSweep.publish(config.workspaceDir(), sink, config.documentMaxFileBytes());
            long durationMs = clock.millis() - mainStart;
            ObjectNode result = loop.runResult(outcome, durationMs);
            EventSink.Delivery delivery = sink.finalizeRun(result, DRAIN_BEFORE_FINALIZE);
            RunnerLog.info("run finished", "runId", config.runId(), "status", outcome.status(),
                    "durationMs", durationMs, "coldStartMs", coldStartMs, "finalize", delivery,
                    "inputTokens", loop.usage().input(), "outputTokens", loop.usage().output());
            return outcome.isSuccess() ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * Milliseconds since this process was spawned (JVM boot before {@code main}), from /proc on Linux with
     * 10 ms resolution; -1 elsewhere. ProcessHandle's start instant is derived from a whole-second boot time.
     */
    static long processAgeMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(fields[19]); // field 22, starttime, in clock ticks (USER_HZ = 100)
            double uptimeSeconds = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            return Math.max(0, Math.round(uptimeSeconds * 1000) - startTicks * 10);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Runs the loop on its own thread so the budget can cut it off wherever it is blocked. */
    private static RunOutcome runWithWatchdog(AgentLoop loop, RunnerConfig config) throws InterruptedException {
        ExecutorService exec = NamedExecutors.single("agent-loop");
        Future<RunOutcome> future = exec.submit(loop::run);
        try {
            return config.timeoutSeconds() > 0
                    ? future.get(config.timeoutSeconds(), TimeUnit.SECONDS)
                    : future.get();
        } catch (TimeoutException e) {
            loop.stop();
            future.cancel(true);
            int killed = ChildProcesses.killAll();
            RunOutcome timeout = RunOutcome.timeout(config.timeoutSeconds());
            RunnerLog.warn("run timed out", "runId", config.runId(), "seconds", config.timeoutSeconds(),
                    "killedToolProcesses", killed);
            loop.emitError(timeout.message(), Json.object().put("code", "timeout"));
            return timeout;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = "Runner crashed: " + cause;
            RunnerLog.error("agent loop crashed", "error", cause.toString());
            loop.emitError(message, null);
            return RunOutcome.failed(message, "runner_crashed");
        } finally {
            exec.shutdownNow();
        }
    }

    /** Bad env: say so on stderr, and also through the sink when the sink variables themselves are usable. */
    private static int reportInvalidEnv(RunnerConfig.Invalid e, HttpTransport http, Clock clock, long mainStart) {
        String message = "Runner configuration invalid: " + String.join("; ", e.issues);
        System.err.println("[agent-runner fatal] " + message + " exit=1");
        if (e.sink.isEmpty()) {
            return 1;
        }
        try (EventSink sink = new EventSink(e.sink.get(), http, clock)) {
            sink.emit("appstrate.error", Json.object().put("message", message));
            sink.finalizeRun(AgentLoop.resultBody(RunOutcome.failed(message, "runner_env_invalid"),
                    clock.millis() - mainStart, new Redactor()), Duration.ofSeconds(5));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        return 1;
    }
}
