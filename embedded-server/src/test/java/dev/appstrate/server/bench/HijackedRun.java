package dev.appstrate.server.bench;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.startRun;

import dev.appstrate.server.runs.BenchAccess;
import dev.appstrate.server.runs.InFlightRuns;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real run whose runner is paused (SIGSTOP) once its sink secret is known, so a benchmark can play the
 * runner from {@link #startSequence()} on; {@link #resume()} lets the runner go again.
 */
record HijackedRun(String id, String secret, int startSequence, long runnerPid) {

    /** Starts agent {@code name} (its model must already be configured) and takes its run over. */
    static HijackedRun start(TestServer s, String name) throws Exception {
        addAgent(s, name, null);
        String runId = startRun(s, name, "{}").get("id").asText();
        InFlightRuns inFlight = s.server().components().inFlightRuns();
        String secret = null;
        for (int i = 0; i < 200 && secret == null; i++) {
            secret = BenchAccess.sinkSecret(inFlight, runId);
            Thread.sleep(10);
        }
        // let the real runner post its first events, then stop it so the bench owns the sequence
        Thread.sleep(3000);
        long pid = runnerOf(runId);
        stop(pid);
        return new HijackedRun(runId, secret, lastSequence(s, runId), pid);
    }

    /**
     * The same on a server in its own process ({@link ServerProcess}): the secret from the runner's environment, the
     * sequence from the server's database.
     */
    static HijackedRun start(ServerProcess s, String name) throws Exception {
        addAgent(s, name, null);
        String runId = startRun(s, name, "{}").get("id").asText();
        Thread.sleep(3000);
        long pid = runnerOf(runId);
        stop(pid);
        String secret = null;
        for (String var : Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0")) {
            if (var.startsWith("APPSTRATE_SINK_SECRET=")) {
                secret = var.substring(var.indexOf('=') + 1);
            }
        }
        if (secret == null) {
            throw new IllegalStateException("runner " + pid + " of " + runId + " has no APPSTRATE_SINK_SECRET");
        }
        return new HijackedRun(runId, secret, (int) s.query("SELECT last_event_sequence FROM runs WHERE id=?", runId), pid);
    }

    /**
     * This JVM's own runner of this run (a child, or a grandchild through a server process): on a shared machine the
     * first AgentRunner in the process table may be another test's, which the bench would have stopped while its own
     * runner kept posting into the sequence.
     */
    private static long runnerOf(String runId) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("AgentRunner") && p.info().commandLine().orElse("").contains(runId))
                .mapToLong(ProcessHandle::pid).findFirst().orElseThrow(() -> new IllegalStateException("runner of " + runId + " not found"));
    }

    private static void stop(long pid) throws Exception {
        new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).start().waitFor();
    }

    static int lastSequence(TestServer s, String runId) {
        return s.server().database().read(c -> (int) Rows.count(c, "SELECT last_event_sequence FROM runs WHERE id=?", runId));
    }

    void resume() throws Exception {
        new ProcessBuilder("kill", "-CONT", String.valueOf(runnerPid)).start().waitFor();
    }
}
