package dev.appstrate.desktop.launch;

import java.util.List;

/** What the command line asked for. Unknown flags are refused so a typo is not silently ignored. */
public record LaunchOptions(boolean headless, boolean help, String server) {

    public static final String USAGE = String.join("\n",
            "Usage: appstrate-desktop [--headless] [--server URL] [--help]",
            "  (no flag)     open the desktop app, starting the embedded server in the per-user data folder",
            "  --server URL  open the desktop app on a remote Appstrate server for this launch, with the API key",
            "                from APPSTRATE_API_KEY (Settings keep their saved choice)",
            "  --headless    run the embedded server without a window until stopped (SIGTERM / Ctrl+C)",
            "       appstrate-desktop run|validate <agent-folder> [--input JSON] [--server URL --api-key KEY]",
            "              run or check an agent folder from a terminal (see `appstrate-desktop run --help`)",
            "Environment variables (DATA_DIR, PORT, HOST, LOG_LEVEL, RUN_ADAPTER, ...) override the app's defaults.");

    public static LaunchOptions parse(List<String> args) {
        boolean headless = false;
        boolean help = false;
        String server = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--server=")) {
                server = serverUrl(a.substring("--server=".length()));
                continue;
            }
            switch (a) {
                case "--headless" -> headless = true;
                case "--help", "-h" -> help = true;
                case "--server" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("--server needs a URL, e.g. --server https://appstrate.example.com\n" + USAGE);
                    }
                    server = serverUrl(args.get(++i));
                }
                default -> throw new IllegalArgumentException("Unknown option \"" + a + "\".\n" + USAGE);
            }
        }
        if (headless && server != null) {
            throw new IllegalArgumentException("--server opens the app on a remote server; it cannot be used with --headless.\n" + USAGE);
        }
        return new LaunchOptions(headless, help, server);
    }

    private static String serverUrl(String url) {
        String u = url.trim();
        if (!(u.startsWith("http://") || u.startsWith("https://"))) {
            throw new IllegalArgumentException("--server needs an http:// or https:// URL, not \"" + url + "\".\n" + USAGE);
        }
        return u;
    }
}
