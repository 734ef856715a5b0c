package dev.appstrate.desktop;

import dev.appstrate.desktop.cli.AgentCommand;
import dev.appstrate.desktop.cli.CommandLine;
import dev.appstrate.desktop.launch.AppDataFolder;
import dev.appstrate.desktop.launch.HeadlessServer;
import dev.appstrate.desktop.launch.LaunchOptions;
import dev.appstrate.desktop.launch.SingleInstance;
import dev.appstrate.desktop.ui.DesktopApp;
import java.io.IOException;
import java.io.PrintStream;
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
        if (args.length == 0 && launchedAs("appstrate")) {
            System.err.println(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        if (CommandLine.isCommand(Arrays.asList(args))) {
            // stdout carries only the run's output JSON: everything else (server logs too) goes to stderr
            PrintStream stdout = System.out;
            System.setOut(System.err);
            int code = new AgentCommand(System.getenv(), AppDataFolder.resolveForThisMachine(), stdout, System.err)
                    .execute(Arrays.asList(args));
            stdout.flush();
            System.exit(code);
            return;
        }
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
            if (SingleInstance.activateRunning(dataDir)) {
                System.out.println("Appstrate Desktop is already running: its window was brought forward.");
                return;
            }
            // the one holding the folder is quitting (or does not answer): start once it has let go, as a user expects
            System.out.println("Appstrate Desktop is quitting (or not answering): starting when it lets go of the data folder...");
            try {
                instance = SingleInstance.acquireWithin(dataDir, SingleInstance.RELEASE_WAIT);
            } catch (IOException e) {
                instance = Optional.empty();
            }
            if (instance.isEmpty()) {
                System.out.println("Appstrate Desktop is already running with the data folder " + dataDir + ".");
                return;
            }
        }
        DesktopApp.launch(dataDir, instance.get(), options.server(), System.getenv("APPSTRATE_API_KEY"));
        System.exit(0); // the window and server are gone: no stray non-daemon thread keeps the process alive
    }

    /** Which installed launcher started us (jpackage sets jpackage.app-path); false for java -jar. */
    private static boolean launchedAs(String launcher) {
        String path = System.getProperty("jpackage.app-path", "");
        String file = java.nio.file.Path.of(path.isEmpty() ? "." : path).getFileName().toString();
        return file.equals(launcher) || file.equals(launcher + ".exe");
    }
}
