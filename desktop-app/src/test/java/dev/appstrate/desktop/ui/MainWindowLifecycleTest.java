package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.ui.UiTesting.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.launch.SingleInstance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The app's one main window over its life, started as a launch starts it (embedded server on port 0, fresh data
 * folder, the single-instance lock held): Restart now keeps the window showing with progress and keeps the lock,
 * so a second launch brings this window forward instead of starting a second server; the window's placement is
 * remembered.
 */
@ScreenTest
class MainWindowLifecycleTest {

    @Test
    void restartNowKeepsTheWindowShowingAndTheLockAndASecondLaunchFocusesIt(FxRobot robot, @TempDir Path dataDir) throws Exception {
        AtomicReference<DesktopApp> app = new AtomicReference<>();
        AtomicReference<Stage> stage = new AtomicReference<>();
        SingleInstance lock = startApp(robot, dataDir, app, stage);
        try {
            waitUntil(() -> app.get().shell() != null && app.get().server() != null);
            double screenWidth = javafx.stage.Screen.getPrimary().getVisualBounds().getWidth();
            waitUntil(() -> stage.get().getWidth() >= Math.min(WindowPlacement.DEFAULT_WIDTH, screenWidth) - 2);
            assertTrue(stage.get().getWidth() >= Math.min(WindowPlacement.DEFAULT_WIDTH, screenWidth) - 2,
                    "the default size, not the minimum: " + WindowChecks.describe(stage.get()));
            String firstUrl = app.get().server().url();
            WindowChecks.assertOnScreen(stage.get());
            AtomicBoolean everHidden = new AtomicBoolean();
            List<String> roots = new ArrayList<>();
            robot.interact(() -> {
                stage.get().showingProperty().addListener((o, was, is) -> everHidden.compareAndSet(false, !is));
                stage.get().getScene().rootProperty().addListener((o, was, is) -> roots.add(is.getId()));
            });

            robot.interact(() -> app.get().restart());
            // progress in the same window while the server restarts
            waitUntil(() -> roots.contains("startup-view"));
            assertTrue(stage.get().isShowing());
            // (probing with a second lock in this JVM would release ours: POSIX locks are per process)
            assertTrue(lock.held(), "the lock is held while the server restarts");

            waitUntil(() -> app.get().shell() != null && app.get().server() != null
                    && "app-shell".equals(stage.get().getScene().getRoot().getId()));
            assertNotEquals(firstUrl, app.get().server().url(), "a new server (new port 0)");
            assertFalse(everHidden.get(), "the window never disappeared");
            assertTrue(stage.get().isShowing());
            waitUntil(() -> app.get().shell().currentPage() != null);
            try (var c = UiTesting.client(app.get().server())) {
                c.health(); // the restarted server answers
            }
            assertTrue(lock.held(), "the lock is still held after the restart");

            // a second launch, as a user starts it: it finds this instance and brings the window forward
            robot.interact(() -> stage.get().setIconified(true));
            // the window manager iconifies asynchronously: a launch answered before it did would find nothing to bring back
            waitUntil(() -> stage.get().isIconified());
            Process second = launch(dataDir);
            // a JVM start on a loaded 2-core machine: generous, and the output says why when it fails
            boolean ended = second.waitFor(180, TimeUnit.SECONDS);
            if (!ended) {
                second.destroyForcibly().waitFor();
            }
            String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(ended, "the second launch did not end: " + out);
            assertEquals(0, second.exitValue(), out);
            assertTrue(out.contains("its window was brought forward"), out);
            waitUntil(() -> stage.get().isShowing() && !stage.get().isIconified());
        } finally {
            DesktopApp a = app.get();
            if (a != null) {
                WaitForAsyncUtils.asyncFx(() -> {
                    a.saveWindowPlacement();
                    stage.get().hide();
                }).get();
                a.stopForTests();
            }
        }
        assertNotNull(WindowPlacement.load(dataDir), "the window's placement is saved");
    }

    @Test
    void quittingDuringAModelCallHidesTheWindowAtOnceAndTheNextStartEndsTheRunWithItsLog(FxRobot robot, @TempDir Path dataDir)
            throws Exception {
        // a model that holds the call until the test ends, as a slow provider does
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        com.sun.net.httpserver.HttpServer model = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        model.createContext("/", ex -> {
            asked.countDown();
            try {
                release.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        model.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        model.start();
        AtomicReference<DesktopApp> app = new AtomicReference<>();
        AtomicReference<Stage> stage = new AtomicReference<>();
        SingleInstance lock = startApp(robot, dataDir, app, stage);
        try {
            waitUntil(() -> app.get().shell() != null && app.get().server() != null);
            String runId;
            try (var c = UiTesting.client(app.get().server())) {
                UiTesting.addModel(c, "http://127.0.0.1:" + model.getAddress().getPort() + "/v1");
                UiTesting.addAgent(c, "held", m -> { });
                runId = c.runAgent("@local/held", dev.appstrate.desktop.client.DesktopJson.object(), null).path("id").asText();
            }
            assertTrue(asked.await(120, TimeUnit.SECONDS), "the runner's model call reached the model");

            dev.appstrate.desktop.launch.EmbeddedServer quitting = app.get().server();
            AtomicBoolean hiddenAtOnce = new AtomicBoolean();
            robot.interact(() -> {
                app.get().quit();
                hiddenAtOnce.set(!stage.get().isShowing());
            });
            assertTrue(hiddenAtOnce.get(), "the window goes when Quit returns, not after the server's stop");
            // the server's stop ends behind it without waiting for the model (still holding the call): the next start
            // takes the data folder, fails the run that was in flight as a restart does, and keeps what it had logged
            AtomicReference<dev.appstrate.desktop.launch.EmbeddedServer> next = new AtomicReference<>();
            waitUntil(() -> {
                try {
                    next.set(dev.appstrate.desktop.launch.EmbeddedServer.start(Map.of("LOG_LEVEL", "warn"), dataDir));
                    return true;
                } catch (dev.appstrate.desktop.launch.LaunchProblem e) {
                    return false; // the quitting server still holds the folder
                }
            });
            // a quit gives in-flight requests its own short grace, not the server's 10 s (a Restart or headless stop)
            assertEquals(java.util.Optional.of(DesktopApp.QUIT_GRACE), quitting.stoppedWith());
            try (var c = UiTesting.client(next.get())) {
                var run = c.run(runId);
                assertEquals("failed", run.path("status").asText(), run.toString());
                assertTrue(run.toString().contains("Server restarted while run was in progress"), run.toString());
                assertTrue(c.get("/api/runs/" + runId + "/logs", Map.of()).toString().contains("starting runner"),
                        "the lines logged before the quit are kept");
            } finally {
                next.get().stop();
            }
        } finally {
            release.countDown();
            model.stop(0);
            lock.close();
        }
    }

    @Test
    void closingWithEnabledSchedulesSaysSoAndCanKeepRunningInTheBackground(FxRobot robot, @TempDir Path dataDir) throws Exception {
        AtomicReference<DesktopApp> app = new AtomicReference<>();
        AtomicReference<Stage> stage = new AtomicReference<>();
        SingleInstance lock = startApp(robot, dataDir, app, stage);
        try {
            waitUntil(() -> app.get().shell() != null && app.get().server() != null);
            try (var c = UiTesting.client(app.get().server())) {
                UiTesting.addAgent(c, "nightly", m -> { });
                c.send("POST", "/api/agents/@local/nightly/schedules", dev.appstrate.desktop.client.DesktopJson.object()
                        .put("name", "Nightly").put("cron_expression", "0 2 * * *").put("timezone", "UTC").put("enabled", true));
            }
            robot.interact(() -> app.get().refreshScheduleCount());
            waitUntil(() -> app.get().enabledSchedules() == 1);

            robot.interact(() -> stage.get().fireEvent(new javafx.stage.WindowEvent(stage.get(),
                    javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST)));
            Stage ask = WindowChecks.windowWithRoot("close-dialog");
            WindowChecks.assertFits(ask, stage.get());
            assertTrue(UiTesting.allTexts().stream().anyMatch(t -> t.contains("1 schedule is enabled")), UiTesting.allTexts().toString());
            UiTesting.screenshot("close-with-schedules-dialog", ask.getScene());
            robot.interact(() -> ((javafx.scene.control.Button) WindowChecks.pane(ask)
                    .lookupButton(WindowChecks.pane(ask).getButtonTypes().get(0))).fire());

            waitUntil(() -> !stage.get().isShowing());
            assertTrue(app.get().server() != null, "the server keeps running schedules in the background");
            assertTrue(lock.held(), "still the running instance");
            // starting the app again brings the window back
            assertTrue(SingleInstance.activateRunning(dataDir));
            waitUntil(() -> stage.get().isShowing());
        } finally {
            DesktopApp a = app.get();
            if (a != null) {
                WaitForAsyncUtils.asyncFx(() -> stage.get().hide()).get();
                a.stopForTests();
            }
        }
    }

    @Test
    void aWindowSavedInTheScreensCornerComesBackWithItsTitleBarOnTheScreen(FxRobot robot) throws Exception {
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        AtomicReference<Stage> window = new AtomicReference<>();
        robot.interact(() -> {
            Stage s = new Stage();
            s.setTitle("Placement");
            s.setScene(new javafx.scene.Scene(new javafx.scene.control.Label("restored"), 400, 300));
            WindowPlacement.restore(s, new WindowPlacement(screen.getMinX(), screen.getMinY(), 900, 600, false));
            window.set(s);
            s.show();
        });
        Stage s = window.get();
        boolean decorated = System.getenv("DISPLAY") != null; // Monocle draws no frame
        try {
            // in the corner, its frame (title bar included) whole on the screen, once the window manager has framed it
            java.util.concurrent.Callable<Boolean> placed = () -> WaitForAsyncUtils.asyncFx(() -> s.isShowing()
                    && (!decorated || s.getScene().getY() > 0) && WindowPlacement.onScreen(s)
                    && s.getX() <= screen.getMinX() + 2 && s.getY() <= screen.getMinY() + 2).get();
            try {
                waitUntil(placed);
            } catch (java.util.concurrent.TimeoutException e) {
                // the assertion below says where it is
            }
            assertTrue(placed.call(), "window at " + WaitForAsyncUtils.asyncFx(() -> WindowChecks.describe(s)
                    + " title bar " + s.getScene().getY() + " px, screen " + screen).get());
        } finally {
            WaitForAsyncUtils.asyncFx(s::hide).get();
        }
    }

    @Test
    void aSavedPlacementOffEveryScreenIsBroughtBackEntirelyOnScreen() {
        var screen = new javafx.geometry.Rectangle2D(0, 0, 1280, 1024);
        // on no screen any more (a monitor unplugged): centred on the primary, shrunk to it
        WindowPlacement off = new WindowPlacement(3000, -200, 1500, 700, false).fittedTo(List.of(screen));
        assertEquals(new WindowPlacement(0, 162, 1280, 700, false), off);
        // partly above the top: moved down so that the title bar is on the screen
        WindowPlacement above = new WindowPlacement(40, -25, 900, 600, false).fittedTo(List.of(screen));
        assertEquals(new WindowPlacement(40, 0, 900, 600, false), above);
        WindowPlacement kept = new WindowPlacement(100, 80, 1000, 700, true).fittedTo(List.of(screen));
        assertEquals(new WindowPlacement(100, 80, 1000, 700, true), kept);
        var second = new javafx.geometry.Rectangle2D(1280, 0, 1920, 1080);
        WindowPlacement onSecond = new WindowPlacement(1500, 100, 1200, 800, false).fittedTo(List.of(screen, second));
        assertEquals(1500, onSecond.x(), "stays on the screen it was on");
    }

    private static Process launch(Path dataDir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), "dev.appstrate.desktop.Launcher"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DATA_DIR", dataDir.toString());
        pb.environment().put("LOG_LEVEL", "warn");
        return pb.start();
    }

    /** Takes the data folder's lock and starts the app on a new window, as the launcher does; the lock is the caller's. */
    private static SingleInstance startApp(FxRobot robot, Path dataDir, AtomicReference<DesktopApp> app,
                                           AtomicReference<Stage> stage) throws java.io.IOException {
        SingleInstance lock = SingleInstance.tryAcquire(dataDir).orElseThrow();
        robot.interact(() -> {
            stage.set(new Stage());
            app.set(DesktopApp.startFor(stage.get(), Map.of("LOG_LEVEL", "warn"), dataDir, lock));
        });
        return lock;
    }
}
