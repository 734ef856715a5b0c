package dev.appstrate.desktop.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code appstrate run|validate <folder> [--input JSON|@file] [--server URL] [--api-key KEY] [--app ID]}. */
public record CommandLine(String command, Path folder, String input, String server, String apiKey, String applicationId) {

    public static final String USAGE = String.join("\n",
            "Usage: appstrate run <agent-folder> [--input '{\"name\":\"Ada\"}' | --input @input.json] [--server URL --api-key KEY]",
            "       appstrate validate <agent-folder> [--input ...] [--server URL --api-key KEY]",
            "  run       validates the folder (manifest.json + prompt.md), runs it as an inline run, streams the log",
            "            to stderr and prints the output JSON on stdout",
            "  validate  the same checks without running",
            "  --server  a running Appstrate server (else one is started for the call on the app's data folder);",
            "            also APPSTRATE_URL, with APPSTRATE_API_KEY for --api-key",
            "  --app     the application id when the credential is not an API key (which pins its own)",
            "Exit codes: 0 success, 1 the run failed (or could not start), 2 invalid input, folder or usage.");

    public static boolean isCommand(List<String> args) {
        return !args.isEmpty() && (args.get(0).equals("run") || args.get(0).equals("validate"));
    }

    /** Parses the arguments after {@code appstrate}; flags win over the environment. */
    public static CommandLine parse(List<String> args, Map<String, String> env) {
        if (!isCommand(args)) {
            throw new IllegalArgumentException(USAGE);
        }
        String command = args.get(0);
        Path folder = null;
        String input = null;
        String server = env.get("APPSTRATE_URL");
        String apiKey = env.get("APPSTRATE_API_KEY");
        String app = null;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            String flag = a.contains("=") && a.startsWith("--") ? a.substring(0, a.indexOf('=')) : a;
            boolean inline = !flag.equals(a);
            switch (flag) {
                case "--input", "-i", "--server", "--api-key", "--app" -> {
                    String value;
                    if (inline) {
                        value = a.substring(a.indexOf('=') + 1);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        throw new IllegalArgumentException(flag + " needs a value.\n" + USAGE);
                    }
                    switch (flag) {
                        case "--input", "-i" -> input = value;
                        case "--server" -> server = value;
                        case "--api-key" -> apiKey = value;
                        default -> app = value;
                    }
                }
                default -> {
                    if (a.startsWith("-")) {
                        throw new IllegalArgumentException("Unknown option \"" + a + "\".\n" + USAGE);
                    }
                    if (folder != null) {
                        throw new IllegalArgumentException("One agent folder at a time (got \"" + folder + "\" and \"" + a + "\").\n" + USAGE);
                    }
                    folder = Path.of(a);
                }
            }
        }
        if (folder == null) {
            throw new IllegalArgumentException("Which agent folder? e.g. appstrate " + command + " ./my-agent\n" + USAGE);
        }
        return new CommandLine(command, folder, input, blankToNull(server), blankToNull(apiKey), blankToNull(app));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
