package dev.appstrate.server.runs.adapter;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * What an adapter needs to start one run: its folder (workspace inside), the runner's environment
 * (the original's contract, no server secrets), limits, and a callback for when the workload exits.
 */
public record RunLaunch(String runId, Path runDir, Map<String, String> env, int timeoutSeconds, long memoryMb, double cpus,
                        IntConsumer onExit) {

    public Path workspace() {
        return runDir.resolve("workspace");
    }
}
