package dev.appstrate.desktop;

import dev.appstrate.desktop.launch.AppDataFolder;
import dev.appstrate.desktop.launch.HeadlessServer;
import dev.appstrate.desktop.launch.LaunchOptions;
import dev.appstrate.desktop.launch.SingleInstance;
import dev.appstrate.desktop.ui.DesktopApp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The app's entry point: a plain {@code main} (not an Application subclass) so that {@code java -jar}
 * and jpackage launchers work with JavaFX on the class path, and {@code --headless} never touches JavaFX.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(LaunchOptions.USAGE);
            return;
        }
        Path dataDir = AppDataFolder.resolveForThisMachine();
        if (options.headless()) {
            System.exit(HeadlessServer.run(System.getenv(), dataDir, System.out));
            return;
        }
        Optional<SingleInstance> instance;
        try {
            instance = SingleInstance.tryAcquire(dataDir);
        } catch (IOException e) {
            System.err.println("The data folder " + dataDir + " cannot be used: " + e.getMessage()
                    + ". Set DATA_DIR to a writable folder.");
            System.exit(1);
            return;
        }
        if (instance.isEmpty()) {
            boolean answered = SingleInstance.activateRunning(dataDir);
            System.out.println(answered
                    ? "Appstrate Desktop is already running: its window was brought forward."
                    : "Appstrate Desktop is already running with the data folder " + dataDir + ".");
            return;
        }
        DesktopApp.launch(dataDir, instance.get());
        System.exit(0); // the window and server are gone: no stray non-daemon thread keeps the process alive
    }
}
