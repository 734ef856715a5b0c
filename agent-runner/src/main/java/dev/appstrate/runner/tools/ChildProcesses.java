package dev.appstrate.runner.tools;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Live tool subprocesses, so a timeout or SIGTERM can kill their whole trees. */
public final class ChildProcesses {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    private ChildProcesses() {
    }

    static void register(Process p) {
        LIVE.add(p);
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

    /** Kills every live tool process tree; returns how many roots were alive. */
    public static int killAll() {
        int n = 0;
        for (Process p : List.copyOf(LIVE)) {
            if (p.isAlive()) {
                n++;
            }
            killTree(p);
            LIVE.remove(p);
        }
        return n;
    }
}
