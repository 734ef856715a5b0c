package dev.appstrate.desktop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.desktop.agentdev.AgentFolder;
import dev.appstrate.desktop.agentdev.FolderProblem;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.InlineRunsApi;
import dev.appstrate.desktop.client.Run;
import dev.appstrate.desktop.client.RunsApi;
import dev.appstrate.desktop.ui.logs.SseLogSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code appstrate run ./my-agent --input '{"name":"Ada"}'} and {@code appstrate validate ./my-agent}: the
 * agent-development loop from a terminal or CI. The log goes to stderr, only the output JSON to stdout.
 */
public final class AgentCommand {
    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int INVALID = 2;
    private static final Set<String> TERMINAL = Set.of("success", "failed", "timeout", "cancelled");

    private final Map<String, String> env;
    private final Path appDataDir;
    private final PrintStream out;
    private final PrintStream err;

    public AgentCommand(Map<String, String> env, Path appDataDir, PrintStream out, PrintStream err) {
        this.env = env;
        this.appDataDir = appDataDir;
        this.out = out;
        this.err = err;
    }

    /** Runs the command and returns the process exit code. */
    public int execute(List<String> args) {
        if (args.contains("--help") || args.contains("-h")) {
            err.println(CommandLine.USAGE);
            return OK;
        }
        CommandLine cmd;
        try {
            cmd = CommandLine.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return INVALID;
        }
        AgentFolder folder = AgentFolder.read(cmd.folder().toAbsolutePath().normalize());
        if (!folder.problems().isEmpty()) {
            err.println("The agent folder " + cmd.folder() + " is not valid:");
            folder.problems().forEach(p -> err.println("  " + p.describe()));
            return INVALID;
        }
        ObjectNode input;
        try {
            input = readInput(cmd.input());
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return INVALID;
        }
        try (ServerConnection server = ServerConnection.open(cmd, env, appDataDir, err)) {
            InlineRunsApi inline = new InlineRunsApi(server.client());
            ObjectNode body = folder.inlineBody(input);
            try {
                inline.validate(body);
            } catch (ApiProblem p) {
                if (p.status() == 400 || p.status() == 413 || p.status() == 422) {
                    List<FolderProblem> problems = new java.util.ArrayList<>(FolderProblem.fromServer(p));
                    if (input == null && cmd.command().equals("validate")) {
                        // validate without --input checks the folder; what the input lacks is for run time
                        problems.removeIf(f -> f.file().equals(FolderProblem.INPUT));
                    }
                    if (!problems.isEmpty()) {
                        err.println("The agent folder " + cmd.folder() + " is not valid:");
                        problems.forEach(f -> err.println("  " + f.describe()));
                        return INVALID;
                    }
                } else {
                    throw p;
                }
            }
            if (cmd.command().equals("validate")) {
                err.println(folder.displayName() + ": valid (" + cmd.folder() + ")");
                out.println("{\"valid\":true}");
                out.flush();
                return OK;
            }
            return run(server, inline, body);
        } catch (ServerConnection.Unavailable e) {
            err.println(e.getMessage());
            return RUN_FAILED;
        } catch (ApiProblem p) {
            err.println("The server refused: " + p.detail() + (p.status() > 0 ? " (HTTP " + p.status() + ")" : ""));
            p.errors().forEach(f -> err.println("  " + f.field() + " — " + f.message()));
            // field errors are the caller's input; anything else (no model configured, rate limit, …) is a run that could not happen
            return p.status() == 400 && !p.errors().isEmpty() ? INVALID : RUN_FAILED;
        }
    }

    private int run(ServerConnection server, InlineRunsApi inline, ObjectNode body) {
        String runId = Run.of(inline.run(body)).id();
        err.println("Run " + runId + " started");
        TerminalLog log = new TerminalLog(err, TerminalLog.colourWanted(env));
        CountDownLatch finished = new CountDownLatch(1);
        SseLogSource source = new SseLogSource(server.client(), runId, update -> {
            if (TERMINAL.contains(Run.of(update).status())) {
                finished.countDown();
            }
        });
        Run run;
        try {
            source.start(log);
            run = awaitEnd(server, runId, finished);
        } finally {
            source.close();
        }
        flushLog(server, runId, log);
        String status = run.status();
        if (status.equals("success")) {
            out.println(DesktopJson.pretty(run.output())); // what the agent produced: free-form JSON, printed as is
            out.flush();
            err.println("Run " + runId + " succeeded" + RunSummary.of(run));
            return OK;
        }
        String error = run.errorMessage();
        err.println("Run " + runId + " " + status + (error.isBlank() ? "" : ": " + error) + RunSummary.of(run));
        return RUN_FAILED;
    }

    /** Waits for the stream to say the run ended, asking the server directly every second in case a stream event is missed. */
    private static Run awaitEnd(ServerConnection server, String runId, CountDownLatch finished) {
        RunsApi runs = new RunsApi(server.client());
        while (true) {
            try {
                boolean ended = finished.await(1, TimeUnit.SECONDS);
                Run run = runs.get(runId);
                if (TERMINAL.contains(run.status())) {
                    return run;
                }
                if (ended) {
                    // the stream saw the end before the run row did: look again shortly
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return runs.get(runId);
            }
        }
    }

    /** Lines stored after the last one shown (the stream may end before delivering the last ones). */
    private static void flushLog(ServerConnection server, String runId, TerminalLog log) {
        try {
            while (true) {
                var page = server.client().runLogs(runId, log.lastId(), 1000);
                page.rows().forEach(r -> log.line(dev.appstrate.desktop.ui.logs.LogLine.fromJson(r)));
                if (!page.hasMore() || page.rows().isEmpty()) {
                    return;
                }
            }
        } catch (ApiProblem p) {
            // the log is a convenience here; the output and exit code are what count
        }
    }

    /** {@code --input} as JSON text or {@code @file.json}; absent means no input. */
    static ObjectNode readInput(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String text = raw;
        if (raw.startsWith("@")) {
            Path file = Path.of(raw.substring(1));
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("--input " + raw + ": the file cannot be read (" + e.getMessage() + ")");
            }
        }
        JsonNode node;
        try {
            node = DesktopJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("--input is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("--input must be a JSON object, e.g. '{\"name\":\"Ada\"}'");
        }
        return (ObjectNode) node;
    }
}
