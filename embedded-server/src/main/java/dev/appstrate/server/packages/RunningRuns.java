package dev.appstrate.server.packages;

/** How many runs of an agent are pending or running in an application; the runs module provides it. */
@FunctionalInterface
public interface RunningRuns {
    int count(String applicationId, String packageId);
}
