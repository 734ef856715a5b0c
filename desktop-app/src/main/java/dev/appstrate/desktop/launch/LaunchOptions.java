package dev.appstrate.desktop.launch;

import java.util.List;

/** What the command line asked for. Unknown flags are refused so a typo is not silently ignored. */
public record LaunchOptions(boolean headless, boolean help) {

    public static final String USAGE = String.join("\n",
            "Usage: appstrate-desktop [--headless] [--help]",
            "  (no flag)   open the desktop app, starting the embedded server in the per-user data folder",
            "  --headless  run the embedded server without a window until stopped (SIGTERM / Ctrl+C)",
            "       appstrate-desktop run|validate <agent-folder> [--input JSON] [--server URL --api-key KEY]",
            "              run or check an agent folder from a terminal (see `appstrate-desktop run --help`)",
            "Environment variables (DATA_DIR, PORT, HOST, LOG_LEVEL, RUN_ADAPTER, ...) override the app's defaults.");

    public static LaunchOptions parse(List<String> args) {
        boolean headless = false;
        boolean help = false;
        for (String a : args) {
            switch (a) {
                case "--headless" -> headless = true;
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("Unknown option \"" + a + "\".\n" + USAGE);
            }
        }
        return new LaunchOptions(headless, help);
    }
}
