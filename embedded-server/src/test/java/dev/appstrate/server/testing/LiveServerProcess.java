package dev.appstrate.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The headless server as a running subprocess: started, read until "Server ready", then stopped or killed by the test. */
public final class LiveServerProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Server ready url=(\\S+)");
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile String url;

    private LiveServerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.append(line).append('\n');
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        url = m.group(1);
                        ready.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ready.countDown();
        }, "server-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java -cp <test classpath> Main} with this environment (stderr merged) and waits until it is ready. */
    public static LiveServerProcess start(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = ServerProcess.builder(env).redirectErrorStream(true);
        LiveServerProcess p = new LiveServerProcess(pb.start());
        p.process.getOutputStream().close();
        if (!p.ready.await(120, TimeUnit.SECONDS) || p.url == null) {
            p.process.destroyForcibly();
            throw new AssertionError("server process never became ready:\n" + p.output);
        }
        return p;
    }

    public String url() {
        return url;
    }

    public String output() {
        return output.toString();
    }

    public Process process() {
        return process;
    }

    /** {@code kill -9}: no shutdown hook, no graceful stop, as a crash or an OOM killer would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
