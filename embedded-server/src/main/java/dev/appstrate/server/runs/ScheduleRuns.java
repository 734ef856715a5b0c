package dev.appstrate.server.runs;

/** A schedule's runs: how many are still pending or running, and the latest run number (null when none is numbered). */
public record ScheduleRuns(int active, Integer lastRunNumber) {
    /** A schedule that has no runs yet. */
    public static final ScheduleRuns NONE = new ScheduleRuns(0, null);
}
