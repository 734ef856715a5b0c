package dev.appstrate.server.runs.adapter;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds the agent runner without configuration: wherever the server's own classes come from
 * (appstrate-server.jar, the desktop jar, the installed app, or target/classes in tests), the
 * runner and Jackson are there too, so their code sources make the runner's classpath.
 */
public final class RunnerClasspath {
    public static final String MAIN_CLASS = "dev.appstrate.runner.AgentRunner";

    private RunnerClasspath() {
    }

    public static String find() {
        Set<String> entries = new LinkedHashSet<>();
        for (String cls : new String[]{MAIN_CLASS, "com.fasterxml.jackson.databind.ObjectMapper",
                "com.fasterxml.jackson.core.JsonFactory", "com.fasterxml.jackson.annotation.JsonProperty"}) {
            entries.add(location(cls));
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String location(String className) {
        try {
            CodeSource cs = Class.forName(className, false, RunnerClasspath.class.getClassLoader()).getProtectionDomain().getCodeSource();
            return Path.of(cs.getLocation().toURI()).toString();
        } catch (ClassNotFoundException | URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("The agent runner is not packaged with this server (" + className + " missing)", e);
        }
    }

    /** The java launcher of the running JVM (the bundled runtime in an installed app). */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java").toString();
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase().contains("win");
    }
}
