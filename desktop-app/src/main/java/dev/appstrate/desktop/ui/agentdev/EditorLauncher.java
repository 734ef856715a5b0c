package dev.appstrate.desktop.ui.agentdev;

import java.awt.Desktop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** "Open in editor": the desktop's default application for the file (java.awt.Desktop, else xdg-open / open). */
final class EditorLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(EditorLauncher.class);

    private EditorLauncher() {
    }

    /** Blocking (AWT may take a moment): call it off the FX thread. */
    static void open(Path file) throws IOException {
        boolean headless = Boolean.getBoolean("java.awt.headless");
        if (!headless && Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
            try {
                Desktop.getDesktop().open(file.toFile());
                return;
            } catch (IOException | RuntimeException e) {
                LOG.info("java.awt.Desktop could not open the file, trying the system opener error={}", e.toString());
            }
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String opener = os.contains("mac") ? "open" : os.contains("win") ? "explorer" : "xdg-open";
        new ProcessBuilder(opener, file.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
