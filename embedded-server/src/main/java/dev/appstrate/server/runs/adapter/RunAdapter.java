package dev.appstrate.server.runs.adapter;

import java.time.Duration;
import java.util.Set;

/** Where a run's agent executes: a local subprocess ({@code process}) or a container ({@code docker}). */
public interface RunAdapter extends AutoCloseable {
    String name();

    /** Starts the workload; throws {@link RunStartException} with a message a user can act on. */
    void start(RunLaunch launch) throws RunStartException;

    /** Stops a run's workload: SIGTERM, then kill after the grace. Idempotent; true when something was running. */
    boolean stop(String runId, Duration grace);

    /** Removes what earlier server processes left behind for runs not in {@code keep}; returns how many. */
    int cleanupOrphans(Set<String> keep);

    @Override
    default void close() {
    }
}
