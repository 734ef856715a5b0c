package dev.appstrate.desktop.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher as a user starts it: a real JVM running {@code dev.appstrate.desktop.Launcher}. */
class LauncherProcessTest {

    static Process launch(Path dataDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.appstrate.desktop.Launcher"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("DATA_DIR", dataDir.toString());
        env.put("LOG_LEVEL", "warn");
        return pb.start();
    }

    static String readUntil(Process p, Pattern pattern, List<String> seen) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            seen.add(line);
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("never printed " + pattern + ": " + seen);
    }

    @Test
    void headlessRunsTheServerWithoutAWindowUntilSigtermThenExitsZero(@TempDir Path dir) throws Exception {
        Process p = launch(dir, "--headless");
        try {
            List<String> out = new ArrayList<>();
            String url = readUntil(p, Pattern.compile("Appstrate server ready at (http://127\\.0\\.0\\.1:\\d+)"), out);
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(dir.resolve(FirstLaunchSecrets.FILE_NAME).toFile().exists(), "secrets generated on first launch");

            Process second = launch(dir, "--headless");
            assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            String secondOut = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, second.exitValue(), secondOut);
            assertTrue(secondOut.contains("already running"), secondOut);

            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * The installed appstrate-server is this launcher: its server warms its event route once ready (the window's
     * embedded server does not). It was off there too, so the headless server's first run met a cold route.
     */
    @Test
    void headlessWarmsItsEventRouteOnceReady(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.appstrate.desktop.Launcher", "--headless").redirectErrorStream(true);
        pb.environment().put("DATA_DIR", dir.toString());
        pb.environment().put("LOG_LEVEL", "debug");
        pb.environment().remove("EVENT_ROUTE_WARMUP_REQUESTS");
        Process p = pb.start();
        try {
            List<String> out = new ArrayList<>();
            // bounded: with the warm-up off nothing is printed and the server runs on
            String warmed = assertTimeoutPreemptively(java.time.Duration.ofSeconds(90),
                    () -> readUntil(p, Pattern.compile("Event route warmed requests=(\\d+)"), out), () -> "no warm-up in 90 s: " + out.size() + " lines");
            assertEquals("1000", warmed, "the server's default, not the window's 0");
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aSecondGuiLaunchBringsTheRunningWindowForwardAndExits(@TempDir Path dir) throws Exception {
        SingleInstance running = SingleInstance.tryAcquire(dir).orElseThrow();
        CountDownLatch activated = new CountDownLatch(1);
        running.onActivate(activated::countDown);
        try {
            Process second = launch(dir);
            assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, second.exitValue(), out);
            assertTrue(out.contains("its window was brought forward"), out);
            assertTrue(activated.await(5, TimeUnit.SECONDS));
        } finally {
            running.close();
        }
    }

    @Test
    void anUnknownOptionIsRefusedWithTheUsage(@TempDir Path dir) throws Exception {
        Process p = launch(dir, "--hedless");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue());
        assertTrue(out.contains("Unknown option \"--hedless\"") && out.contains("--headless"), out);
    }
}
