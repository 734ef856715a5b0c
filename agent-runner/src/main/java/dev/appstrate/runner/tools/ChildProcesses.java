package dev.appstrate.runner.tools;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Tool subprocesses, so a timeout or SIGTERM can kill their whole trees. */
public final class ChildProcesses {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean closed;

    private ChildProcesses() {
    }

    /** Tracks a started tool process; after {@link #killAll} it is killed at once and false returned. */
    static boolean register(Process p) {
        LIVE.add(p);
        if (closed) {
            killTree(p);
            return false;
        }
        return true;
    }

    static void unregister(Process p) {
        LIVE.remove(p);
    }

    /** Kills a process and every descendant (collected first: once the parent dies they get reparented). */
    public static void killTree(Process p) {
        List<ProcessHandle> descendants = p.descendants().collect(Collectors.toList());
        p.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Ends tool execution for good: refuses later processes and kills every descendant of this JVM,
     * registered or not (a SIGTERM can land between a fork and its registration). Returns how many
     * processes were killed. Only the runner's own JVM may call this.
     */
    public static int killAll() {
        closed = true;
        List<ProcessHandle> all = ProcessHandle.current().descendants().collect(Collectors.toList());
        all.forEach(ProcessHandle::destroyForcibly);
        for (Process p : List.copyOf(LIVE)) {
            killTree(p);
        }
        LIVE.clear();
        return all.size();
    }
}
