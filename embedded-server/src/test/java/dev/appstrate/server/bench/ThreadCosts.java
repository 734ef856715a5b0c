package dev.appstrate.server.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time and context switches of this JVM's threads from /proc/self/task, grouped by thread name (the bench's own
 * pool threads, the server's http-* and run-log-writer, the JIT, GC): which side of a benchmark spends the cores.
 * Threads that ended between two snapshots are not counted.
 */
final class ThreadCosts {
    private static final double TICK_NS = 1e9 / 100; // USER_HZ
    private final Map<String, long[]> byGroup; // cpu ns, voluntary switches, involuntary switches

    private ThreadCosts(Map<String, long[]> byGroup) {
        this.byGroup = byGroup;
    }

    static ThreadCosts now() {
        Map<String, long[]> m = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long cpu = (long) ((Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NS);
                    long vol = 0;
                    long invol = 0;
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            vol = Long.parseLong(line.substring(24).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            invol = Long.parseLong(line.substring(27).trim());
                        }
                    }
                    long[] g = m.computeIfAbsent(group(Files.readString(t.resolve("comm")).trim()), k -> new long[3]);
                    g[0] += cpu;
                    g[1] += vol;
                    g[2] += invol;
                } catch (IOException | RuntimeException e) {
                    // the thread ended while it was read
                }
            }
        } catch (IOException e) {
            return new ThreadCosts(Map.of()); // not Linux: nothing to report
        }
        return new ThreadCosts(m);
    }

    private static String group(String comm) {
        if (comm.startsWith("pool-")) {
            return "bench";
        }
        if (comm.startsWith("http")) {
            return "http";
        }
        if (comm.startsWith("run-log-writer")) {
            return "writer";
        }
        if (comm.startsWith("run-stream-flus")) { // Linux keeps 15 characters of a thread's name
            return "streams";
        }
        if (comm.startsWith("sink-events")) {
            return "runner"; // the runner's EventSink senders (SinkSender): a separate process in real use
        }
        if (comm.startsWith("C1 ") || comm.startsWith("C2 ")) {
            return "jit";
        }
        if (comm.startsWith("GC ") || comm.startsWith("G1 ") || comm.startsWith("VM Thread")) {
            return "gc";
        }
        return "other";
    }

    /** {@code group=cpu_us/ctxsw} per event since {@code before}, e.g. {@code http=120us/2.1}. */
    String perEvent(ThreadCosts before, int events) {
        StringBuilder sb = new StringBuilder();
        for (String g : List.of("http", "writer", "streams", "bench", "runner", "jit", "gc", "other")) {
            long[] a = byGroup.getOrDefault(g, new long[3]);
            long[] b = before.byGroup.getOrDefault(g, new long[3]);
            sb.append(sb.isEmpty() ? "" : " ").append(g).append('=').append(Math.round((a[0] - b[0]) / 1e3 / events)).append("us/")
                    .append(String.format("%.2f", (a[1] - b[1] + a[2] - b[2]) / (double) events));
        }
        return sb.toString();
    }
}
