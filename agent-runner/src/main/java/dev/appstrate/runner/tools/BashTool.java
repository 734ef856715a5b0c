package dev.appstrate.runner.tools;

import dev.appstrate.runner.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code /bin/sh -c <command>} in the workspace. stdout and stderr go to temp files (no pipe for a
 * background grandchild to hold open); the model sees the last {@code byteLimit} bytes of each. On timeout
 * the whole process tree is killed. The child environment has the sink and model credentials removed.
 */
public final class BashTool implements Tool {
    static final int DEFAULT_TIMEOUT_SECONDS = 60;
    private final Workspace workspace;
    private final int byteLimit;

    public BashTool(Workspace workspace, int byteLimit) {
        this.workspace = workspace;
        this.byteLimit = byteLimit;
    }

    @Override
    public String name() {
        return "bash";
    }

    @Override
    public String description() {
        return "Execute a shell command (/bin/sh -c) in the workspace directory. Returns combined stdout and "
                + "stderr (the last " + byteLimit / 1000 + " KB if longer). Non-zero exit codes are reported as errors.";
    }

    @Override
    public JsonNode parameters() {
        ObjectNode s = Tool.objectSchema("command");
        Tool.prop(s, "command", "string", "Shell command to execute");
        Tool.prop(s, "timeout", "number", "Timeout in seconds (default " + DEFAULT_TIMEOUT_SECONDS + ")");
        return s;
    }

    @Override
    public ToolOutcome execute(JsonNode args) throws ToolFailure, InterruptedException {
        String command = Tool.stringArg(args, true, "command");
        double timeout = args.path("timeout").isNumber() ? args.get("timeout").asDouble() : DEFAULT_TIMEOUT_SECONDS;
        if (timeout <= 0) {
            timeout = DEFAULT_TIMEOUT_SECONDS;
        }
        Path out = null;
        Path err = null;
        Process p = null;
        try {
            out = Files.createTempFile("agent-bash-", ".out");
            err = Files.createTempFile("agent-bash-", ".err");
            // stdout and stderr apart, for the inspector; the model gets stdout then stderr, as before when only one is used
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command)
                    .directory(workspace.root().toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            scrubEnvironment(pb.environment());
            p = pb.start();
            if (!ChildProcesses.register(p)) {
                throw new ToolFailure("The run is stopping; command not run");
            }
            p.getOutputStream().close();
            boolean finished = p.waitFor((long) (timeout * 1000), TimeUnit.MILLISECONDS);
            if (!finished) {
                ChildProcesses.killTree(p);
                p.waitFor(2, TimeUnit.SECONDS);
                String stdout = tail(out);
                String stderr = tail(err);
                String partial = combined(stdout, stderr);
                return ToolOutcome.error((partial.isEmpty() ? "" : partial + "\n\n")
                        + "Command timed out after " + formatSeconds(timeout) + "s and was killed")
                        .withDetails(details(stdout, stderr, null).put("timedOut", true));
            }
            int code = p.exitValue();
            String stdout = tail(out);
            String stderr = tail(err);
            String text = combined(stdout, stderr);
            if (code != 0) {
                return ToolOutcome.error((text.isEmpty() ? "" : text + "\n\n") + "Command exited with code " + code)
                        .withDetails(details(stdout, stderr, code));
            }
            return ToolOutcome.ok(text.isEmpty() ? "(no output)" : text).withDetails(details(stdout, stderr, code));
        } catch (InterruptedException e) {
            if (p != null) {
                ChildProcesses.killTree(p);
            }
            throw e;
        } catch (IOException e) {
            throw new ToolFailure("Could not run command: " + e.getMessage());
        } finally {
            if (p != null) {
                ChildProcesses.unregister(p);
            }
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static String combined(String stdout, String stderr) {
        if (stderr.isEmpty()) {
            return stdout;
        }
        return stdout.isEmpty() ? stderr : stdout + "\n" + stderr;
    }

    private static ObjectNode details(String stdout, String stderr, Integer exitCode) {
        ObjectNode d = Json.object().put("stdout", stdout).put("stderr", stderr);
        if (exitCode == null) {
            d.putNull("exitCode");
        } else {
            d.put("exitCode", exitCode);
        }
        return d;
    }

    private static void deleteQuietly(Path f) {
        if (f != null) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // temp file cleanup is best effort
            }
        }
    }

    /** Tool commands must not see the run's credentials. */
    static void scrubEnvironment(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("APPSTRATE_SINK_") || k.equals("MODEL_API_KEY"));
    }

    private String tail(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            long start = Math.max(0, len - byteLimit);
            raf.seek(start);
            byte[] buf = new byte[(int) (len - start)];
            raf.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8).stripTrailing();
            return start > 0 ? "[output truncated: first " + start + " bytes omitted]\n" + text : text;
        }
    }

    private static String formatSeconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }
}
