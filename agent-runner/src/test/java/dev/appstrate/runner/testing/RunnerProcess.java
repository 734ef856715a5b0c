package dev.appstrate.runner.testing;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Spawns {@code dev.appstrate.runner.AgentRunner} as a real subprocess with exactly the given
 * environment (plus {@code PATH}), the way the server's process adapter does.
 */
public final class RunnerProcess {
    public static final String MAIN_CLASS = "dev.appstrate.runner.AgentRunner";

    /** Exit code, captured output and wall time from spawn to exit. */
    public record Result(int exitCode, String stdout, String stderr, Duration elapsed) {
    }

    private RunnerProcess() {
    }

    /** The runner's classpath: its own classes plus the three Jackson jars, located from loaded classes. */
    public static String classpath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : List.of(classForName(MAIN_CLASS), ObjectMapper.class, JsonFactory.class, JsonProperty.class)) {
            entries.add(location(c));
        }
        return String.join(File.pathSeparator, entries);
    }

    /** {@code <java.home>/bin/java [jvmFlags] -cp <classpath> dev.appstrate.runner.AgentRunner}. */
    public static List<String> command(String... jvmFlags) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmFlags));
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(MAIN_CLASS);
        return cmd;
    }

    /** Starts the runner with a cleared environment holding {@code env} and the parent's {@code PATH}. */
    public static Process start(Map<String, String> env, List<String> jvmFlags) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(jvmFlags.toArray(String[]::new)));
        Map<String, String> e = pb.environment();
        e.clear();
        String path = System.getenv("PATH");
        e.put("PATH", path != null ? path : "/usr/local/bin:/usr/bin:/bin");
        e.putAll(env);
        return pb.start();
    }

    /** Runs to completion (killed after {@code timeout}) and captures stdout/stderr. */
    public static Result run(Map<String, String> env, Duration timeout, String... jvmFlags)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = start(env, List.of(jvmFlags));
        p.getOutputStream().close();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        return new Result(p.exitValue(), out.join(), err.join(), elapsed);
    }

    /** Reads a stream to the end on its own thread (the common pool may have a single worker). */
    private static CompletableFuture<String> drain(java.io.InputStream in) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                result.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.complete("");
            }
        }, "runner-output");
        t.setDaemon(true);
        t.start();
        return result;
    }

    /**
     * True when the process exists and is not a zombie. A killed, reparented child stays a zombie where
     * PID 1 does not reap (containers), so {@link ProcessHandle#isAlive} alone is not enough.
     */
    /** Waits up to 10 s for a killed process to be gone: SIGKILL and reaping are asynchronous on a busy machine. */
    public static boolean awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (isRunning(pid) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return !isRunning(pid);
    }

    public static boolean isRunning(long pid) {
        Path status = Paths.get("/proc/" + pid + "/status");
        if (!java.nio.file.Files.exists(status)) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        try {
            return java.nio.file.Files.readAllLines(status).stream()
                    .noneMatch(l -> l.startsWith("State:") && l.contains("Z"));
        } catch (IOException e) {
            return false;
        }
    }

    private static Class<?> classForName(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name + " is not on the classpath", e);
        }
    }

    private static String location(Class<?> c) {
        try {
            Path p = Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString();
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
