package dev.appstrate.server.runs.adapter;

import dev.appstrate.server.store.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code RUN_ADAPTER=process}: the runner as a child JVM with an allow-listed environment, output
 * kept in the run folder for crash diagnostics, and a pidfile so a restarted server can kill
 * runners its previous life left behind.
 */
public final class ProcessRunAdapter implements RunAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunAdapter.class);
    static final String PIDFILE = "runner.pid";
    /** On the runner's command line: finds a runner a crash left behind before its pidfile was written. */
    static final String RUN_DIR_FLAG = "-Dappstrate.runDir=";
    /** The runner JVM lives for one run: C1 only, serial GC, small heap. */
    private static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
            "-XX:-UsePerfData", "-Xshare:auto");
    private final Path runsDir;
    private final String classpath;
    private final Map<String, Process> running = new ConcurrentHashMap<>();
    private final RunnerClassData classData;
    /** RUNNER_COMMAND: another runtime speaking the same env and sink protocol (e.g. the original's); empty = ours. */
    private final List<String> command;

    public ProcessRunAdapter(Path runsDir) {
        this(runsDir, List.of());
    }

    public ProcessRunAdapter(Path runsDir, List<String> command) {
        this.runsDir = runsDir;
        this.command = List.copyOf(command);
        this.classpath = RunnerClasspath.find();
        this.classData = new RunnerClassData(runsDir.resolve(".cds"), classpath);
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public void start(RunLaunch launch) throws RunStartException {
        try {
            ownerOnly(launch.runDir());
            ownerOnly(launch.workspace());
            Path tmp = launch.runDir().resolve("tmp");
            ownerOnly(tmp);
            List<String> cmd = new ArrayList<>(command);
            if (command.isEmpty()) {
                cmd.addAll(builtInRunner(launch, tmp));
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(launch.workspace().toFile());
            Map<String, String> env = pb.environment();
            // nothing of the server's environment (its secrets) reaches the agent: only what a shell needs
            env.clear();
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
            env.put("HOME", launch.workspace().toString());
            env.put("TMPDIR", tmp.toString());
            env.put("LANG", "C.UTF-8");
            env.putAll(launch.env());
            Path log = OwnerOnly.file(launch.runDir().resolve("runner.log"));
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            running.put(launch.runId(), p);
            Files.writeString(launch.runDir().resolve(PIDFILE), p.pid() + " " + p.info().startInstant().map(Instant::toString)
                    .orElse("-") + "\n", StandardCharsets.UTF_8);
            LOG.debug("Runner started runId={} pid={}", launch.runId(), p.pid());
            p.onExit().thenAccept(done -> {
                running.remove(launch.runId());
                launch.onExit().accept(done.exitValue());
            });
        } catch (IOException e) {
            throw new RunStartException("Could not start the agent runner: " + e.getMessage(), e);
        }
    }

    private List<String> builtInRunner(RunLaunch launch, Path tmp) {
        List<String> cmd = new ArrayList<>();
        cmd.add(RunnerClasspath.javaBinary());
        cmd.addAll(JVM_FLAGS);
        cmd.add("-Xmx" + Math.max(64, Math.min(launch.memoryMb(), 1024)) + "m");
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.add(RUN_DIR_FLAG + launch.runDir().toAbsolutePath());
        cmd.addAll(classData.flags());
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(RunnerClasspath.MAIN_CLASS);
        return cmd;
    }

    @Override
    public boolean stop(String runId, Duration grace) {
        Process p = running.get(runId);
        Optional<ProcessHandle> handle = p != null ? Optional.of(p.toHandle())
                : orphanOf(runsDir.resolve(runId), ProcessRunAdapter::runnersByRunDir);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        killTree(handle.get(), grace);
        return true;
    }

    /** SIGTERM to the runner and every descendant, then SIGKILL to whatever is still alive after the grace. */
    static void killTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>();
        root.descendants().forEach(all::add);
        all.add(root);
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (Exception ignored) {
                // still alive: killed below
            }
        }
        root.descendants().forEach(ProcessHandle::destroyForcibly);
        all.forEach(h -> {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        });
        // SIGKILL is asynchronous: wait for the exits so "stopped" means gone when we return
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // unkillable (e.g. stuck in the kernel): nothing more to do from here
            }
        }
    }

    @Override
    public int cleanupOrphans(Set<String> keep) {
        int killed = 0;
        if (!Files.isDirectory(runsDir)) {
            return 0;
        }
        // at most one scan of the process table for the whole sweep, and none when every folder has its pidfile
        // or there is no folder (a first boot): the scan reads every process's command line
        AtomicReference<Map<String, ProcessHandle>> scanned = new AtomicReference<>();
        Supplier<Map<String, ProcessHandle>> byRunDir = () -> scanned.updateAndGet(m -> m != null ? m : runnersByRunDir());
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runsDir)) {
            for (Path dir : dirs) {
                String runId = dir.getFileName().toString();
                if (keep.contains(runId) || running.containsKey(runId)) {
                    continue;
                }
                Optional<ProcessHandle> h = orphanOf(dir, byRunDir);
                if (h.isPresent() && h.get().isAlive()) {
                    killTree(h.get(), Duration.ofSeconds(5));
                    killed++;
                }
                Files.deleteIfExists(dir.resolve(PIDFILE));
            }
        } catch (IOException e) {
            LOG.warn("Orphan runner sweep failed: {}", e.toString());
        }
        return killed;
    }

    /** A runner of a previous server life: from its pidfile, else (crash before the pidfile was written) by its command line. */
    static Optional<ProcessHandle> orphanOf(Path runDir, Supplier<Map<String, ProcessHandle>> runnersByRunDir) {
        Optional<ProcessHandle> h = fromPidfile(runDir);
        return h.isPresent() ? h : Optional.ofNullable(runnersByRunDir.get().get(runDir.toAbsolutePath().toString()));
    }

    /** Live processes whose command line carries {@link #RUN_DIR_FLAG}, by the run folder it names. */
    static Map<String, ProcessHandle> runnersByRunDir() {
        Map<String, ProcessHandle> out = new HashMap<>();
        try (var all = ProcessHandle.allProcesses()) {
            all.filter(ProcessHandle::isAlive).forEach(ph -> ph.info().arguments().ifPresent(args -> {
                for (String a : args) {
                    if (a.startsWith(RUN_DIR_FLAG)) {
                        out.putIfAbsent(a.substring(RUN_DIR_FLAG.length()), ph);
                    }
                }
            }));
        }
        return out;
    }

    /** The runner recorded in a pidfile, only if that pid is still the same process (pids are reused). */
    static Optional<ProcessHandle> fromPidfile(Path runDir) {
        Path f = runDir.resolve(PIDFILE);
        try {
            if (!Files.exists(f)) {
                return Optional.empty();
            }
            String[] parts = Files.readString(f, StandardCharsets.UTF_8).trim().split(" ");
            Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(parts[0]));
            if (h.isEmpty()) {
                return h;
            }
            String started = h.get().info().startInstant().map(Instant::toString).orElse("-");
            boolean sameProcess = parts.length < 2 || parts[1].equals(started)
                    || h.get().info().commandLine().map(c -> c.contains(RunnerClasspath.MAIN_CLASS)).orElse(false);
            return sameProcess ? h : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void ownerOnly(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not POSIX (Windows): the per-user folder already restricts access
        }
    }

    @Override
    public void close() {
        for (String runId : List.copyOf(running.keySet())) {
            stop(runId, Duration.ofSeconds(5));
        }
    }
}
