package dev.appstrate.server.runs;

import java.util.Set;

/** The original's run statuses; a run is active while pending or running. */
public final class RunStatus {
    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String SUCCESS = "success";
    public static final String FAILED = "failed";
    public static final String TIMEOUT = "timeout";
    public static final String CANCELLED = "cancelled";
    public static final Set<String> ALL = Set.of(PENDING, RUNNING, SUCCESS, FAILED, TIMEOUT, CANCELLED);
    public static final Set<String> TERMINAL = Set.of(SUCCESS, FAILED, TIMEOUT, CANCELLED);

    private RunStatus() {
    }

    public static boolean isActive(String status) {
        return PENDING.equals(status) || RUNNING.equals(status);
    }
}
