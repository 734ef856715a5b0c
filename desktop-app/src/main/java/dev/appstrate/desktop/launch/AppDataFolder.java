package dev.appstrate.desktop.launch;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The per-user folder where the desktop app keeps its server data, secrets and settings. */
public final class AppDataFolder {
    static final String LINUX_NAME = "appstrate-desktop";
    static final String DISPLAY_NAME = "Appstrate Desktop";

    private AppDataFolder() {
    }

    /** DATA_DIR wins; otherwise the OS convention (XDG, Application Support, LOCALAPPDATA). */
    public static Path resolve(Map<String, String> env, String osName, String userHome) {
        String explicit = nonEmpty(env.get("DATA_DIR"));
        if (explicit != null) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String local = nonEmpty(env.get("LOCALAPPDATA"));
            Path base = local != null ? Path.of(local) : Path.of(userHome, "AppData", "Local");
            return base.resolve(DISPLAY_NAME);
        }
        if (os.contains("mac") || os.contains("darwin")) {
            return Path.of(userHome, "Library", "Application Support", DISPLAY_NAME);
        }
        String xdg = nonEmpty(env.get("XDG_DATA_HOME"));
        // XDG says a relative XDG_DATA_HOME is invalid and must be ignored
        Path base = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : Path.of(userHome, ".local", "share");
        return base.resolve(LINUX_NAME);
    }

    public static Path resolveForThisMachine() {
        return resolve(System.getenv(), System.getProperty("os.name", ""), home(System.getenv(), System.getProperty("user.home")));
    }

    /**
     * The one notion of home, shared with the Docker socket search: {@code $HOME} when set (as XDG and Docker's own
     * tools read it; Java's user.home ignores it on Linux), else Java's user.home (Windows, or HOME unset).
     */
    public static String home(Map<String, String> env, String userHome) {
        String h = nonEmpty(env.get("HOME"));
        return h != null && Path.of(h).isAbsolute() ? h : userHome;
    }

    private static String nonEmpty(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
