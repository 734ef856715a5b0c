package dev.appstrate.desktop.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.Health;
import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.concurrent.NamedExecutors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchPreparationTest {

    @Test
    void dataFolderFollowsEachOsConventionAndDataDirWins() {
        assertEquals(Path.of("/home/ann/.local/share/appstrate-desktop"),
                AppDataFolder.resolve(Map.of(), "Linux", "/home/ann"));
        assertEquals(Path.of("/xdg/appstrate-desktop"),
                AppDataFolder.resolve(Map.of("XDG_DATA_HOME", "/xdg"), "Linux", "/home/ann"));
        assertEquals(Path.of("/home/ann/.local/share/appstrate-desktop"),
                AppDataFolder.resolve(Map.of("XDG_DATA_HOME", "relative/ignored"), "Linux", "/home/ann"));
        assertEquals(Path.of("/Users/ann/Library/Application Support/Appstrate Desktop"),
                AppDataFolder.resolve(Map.of(), "Mac OS X", "/Users/ann"));
        assertEquals(Path.of("C:/Users/ann/AppData/Local").resolve("Appstrate Desktop"),
                AppDataFolder.resolve(Map.of("LOCALAPPDATA", "C:/Users/ann/AppData/Local"), "Windows 11", "C:/Users/ann"));
        assertEquals(Path.of("/srv/appstrate"), AppDataFolder.resolve(Map.of("DATA_DIR", "/srv/appstrate",
                "XDG_DATA_HOME", "/xdg"), "Linux", "/home/ann"));
    }

    @Test
    void homeIsTheHomeVariableAsForTheDockerSocketSearchElseJavasUserHome() {
        assertEquals("/home/sandbox", AppDataFolder.home(Map.of("HOME", "/home/sandbox"), "/home/ann"));
        assertEquals("/home/ann", AppDataFolder.home(Map.of(), "/home/ann"));
        assertEquals("/home/ann", AppDataFolder.home(Map.of("HOME", " "), "/home/ann"));
        assertEquals("/home/ann", AppDataFolder.home(Map.of("HOME", "relative"), "/home/ann"));
    }

    @Test
    void firstLaunchGeneratesThreeSecretsInAnOwnerOnlyFileAndKeepsThem(@TempDir Path dir) throws Exception {
        Map<String, String> first = FirstLaunchSecrets.loadOrCreate(dir);
        Path file = dir.resolve(FirstLaunchSecrets.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(FirstLaunchSecrets.NAMES, List.copyOf(first.keySet()));
        assertEquals(32, Base64.getDecoder().decode(first.get("CONNECTION_ENCRYPTION_KEY")).length);
        assertNotEquals(first.get("BETTER_AUTH_SECRET"), first.get("UPLOAD_SIGNING_SECRET"));
        assertEquals(first, FirstLaunchSecrets.loadOrCreate(dir), "later launches read the same secrets back");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        FirstLaunchSecrets.loadOrCreate(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "a copied-in file with loose permissions is tightened");
    }

    @Test
    void theRealEnvironmentAlwaysWinsOverSavedSettingsAndDefaults(@TempDir Path dir) {
        Map<String, String> env = ServerEnvironment.merge(
                Map.of("BETTER_AUTH_SECRET", "from-env", "LOG_LEVEL", "warn", "EMPTY", ""),
                Map.of("BETTER_AUTH_SECRET", "generated", "UPLOAD_SIGNING_SECRET", "generated-upload"),
                Map.of("LOG_LEVEL", "debug", "RUN_ADAPTER", "docker"), dir);
        assertEquals("from-env", env.get("BETTER_AUTH_SECRET"));
        assertEquals("generated-upload", env.get("UPLOAD_SIGNING_SECRET"));
        assertEquals("warn", env.get("LOG_LEVEL"));
        assertEquals("docker", env.get("RUN_ADAPTER"));
        assertEquals("0", env.get("PORT"));
        assertEquals("127.0.0.1", env.get("HOST"));
        assertEquals(dir.toString(), env.get("DATA_DIR"));
        assertEquals("7000", ServerEnvironment.merge(Map.of("PORT", "7000"), Map.of(), dir).get("PORT"));
    }

    @Test
    void configurationErrorsComeBackAsProblemsWithTheirFixNotAStackTrace(@TempDir Path dir) {
        LaunchProblem p = assertThrows(LaunchProblem.class, () -> EmbeddedServer.start(
                Map.of("CONNECTION_ENCRYPTION_KEY", "too-short", "RUN_ADAPTER", "kubernetes"), dir));
        assertEquals("The server configuration is invalid", p.title());
        assertEquals(2, p.problems().size(), p.problems().toString());
        assertTrue(p.problems().stream().anyMatch(s -> s.startsWith("CONNECTION_ENCRYPTION_KEY")));
        assertTrue(p.problems().stream().anyMatch(s -> s.startsWith("RUN_ADAPTER")));
        assertTrue(p.fix().contains("environment variables") && p.fix().contains(FirstLaunchSecrets.FILE_NAME), p.fix());
    }

    @Test
    void theEmbeddedServerStartsOnAFreeLoopbackPortAndKeepsItsSecretsAcrossRestarts(@TempDir Path dir) throws Exception {
        EmbeddedServer server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn"), dir);
        String token;
        try (AppstrateClient c = new AppstrateClient(new ServerEndpoint(server.url(), server.ownerToken().orElse(""), true))) {
            assertTrue(server.url().startsWith("http://127.0.0.1:"));
            assertNotEquals(3000, server.port());
            Health h = c.health();
            assertTrue(h.healthy(), h.raw().toString());
            token = server.ownerToken().orElseThrow();
            assertFalse(c.applications().path("data").isEmpty(), "the owner token from the data folder is accepted");
        } finally {
            server.stop();
        }
        EmbeddedServer again = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn"), dir);
        try {
            assertEquals(token, again.ownerToken().orElseThrow());
        } finally {
            again.stop();
        }
    }

    @Test
    void aSecondInstanceFindsTheFirstAndAsksItToComeForward(@TempDir Path dir) throws Exception {
        Optional<SingleInstance> first = SingleInstance.tryAcquire(dir);
        assertTrue(first.isPresent());
        CountDownLatch activated = new CountDownLatch(1);
        first.get().onActivate(activated::countDown);
        assertTrue(SingleInstance.tryAcquire(dir).isEmpty(), "the data folder is taken");
        assertTrue(SingleInstance.activateRunning(dir));
        assertTrue(activated.await(5, TimeUnit.SECONDS));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(SingleInstance.PORT_FILE))));
        first.get().close();
        Optional<SingleInstance> later = SingleInstance.tryAcquire(dir);
        assertTrue(later.isPresent(), "released on close");
        later.get().close();
    }

    @Test
    void aLaunchWhileTheFirstIsQuittingWaitsForTheFolderInsteadOfCallingAWindowThatIsGone(@TempDir Path dir) throws Exception {
        SingleInstance first = SingleInstance.tryAcquire(dir).orElseThrow();
        CountDownLatch activated = new CountDownLatch(1);
        first.onActivate(activated::countDown);
        first.quitting(); // its window is hidden; it holds the folder until its server has stopped
        assertFalse(SingleInstance.activateRunning(dir), "a quitting app said its window was brought forward");
        assertEquals(1, activated.getCount(), "a quitting app was asked to show its window");

        ExecutorService launch = NamedExecutors.namedDaemonPool("second-launch", 1);
        try {
            CompletableFuture<Optional<SingleInstance>> second = CompletableFuture.supplyAsync(() -> {
                try {
                    return SingleInstance.acquireWithin(dir, Duration.ofMinutes(1));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, launch);
            first.close(); // the quit has finished
            Optional<SingleInstance> mine = second.get(1, TimeUnit.MINUTES);
            assertTrue(mine.isPresent(), "the second launch never took the folder");
            assertTrue(SingleInstance.tryAcquire(dir).isEmpty(), "the second launch holds the folder");
            mine.get().close();
        } finally {
            launch.shutdownNow();
        }
    }
}
