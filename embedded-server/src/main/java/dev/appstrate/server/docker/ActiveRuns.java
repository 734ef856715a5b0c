package dev.appstrate.server.docker;

/**
 * Tells the Docker cleanup which runs are still active, so their containers are left alone. The runs
 * module registers its implementation in the server context; without one, no run is active (at boot,
 * runs left active by a crash are finalized before the sweep, as in the original).
 */
@FunctionalInterface
public interface ActiveRuns {
    ActiveRuns NONE = runId -> false;

    boolean isActive(String runId);

    default ActiveRuns or(ActiveRuns other) {
        return runId -> isActive(runId) || other.isActive(runId);
    }
}
