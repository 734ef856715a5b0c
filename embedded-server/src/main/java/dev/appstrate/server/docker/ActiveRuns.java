package dev.appstrate.server.docker;

/** Tells the Docker cleanup which runs are still active, so their containers are left alone (the run pipeline answers). */
@FunctionalInterface
public interface ActiveRuns {
    boolean isActive(String runId);

    default ActiveRuns or(ActiveRuns other) {
        return runId -> isActive(runId) || other.isActive(runId);
    }
}
