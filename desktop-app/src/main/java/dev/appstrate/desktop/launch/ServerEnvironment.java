package dev.appstrate.desktop.launch;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The environment the embedded server boots with: app defaults under the real environment, which always wins. */
public final class ServerEnvironment {
    static final String EVENT_ROUTE_WARMUP = "EVENT_ROUTE_WARMUP_REQUESTS";

    private ServerEnvironment() {
    }

    public static Map<String, String> merge(Map<String, String> realEnv, Map<String, String> generatedSecrets, Path dataDir) {
        return merge(realEnv, generatedSecrets, Map.of(), dataDir);
    }

    /** Layers, lowest first: generated secrets, app defaults, the user's saved server settings, the real environment. */
    public static Map<String, String> merge(Map<String, String> realEnv, Map<String, String> generatedSecrets,
                                            Map<String, String> savedSettings, Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.putAll(generatedSecrets);
        // a free loopback port: the desktop app finds the server through AppstrateServer.url(), not a fixed port
        env.put("PORT", "0");
        env.put("HOST", "127.0.0.1");
        env.put("DATA_DIR", dataDir.toString());
        // the server's event-route warm-up (≈ 2 s of CPU after ready) would share the two cores with the window's first
        // paint; it is for the headless server's first run, which turns it back on (HeadlessServer; BENCHMARKS.md, p99)
        env.put(EVENT_ROUTE_WARMUP, "0");
        savedSettings.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                env.put(k, v);
            }
        });
        for (Map.Entry<String, String> e : realEnv.entrySet()) {
            if (e.getValue() != null && !e.getValue().isEmpty()) {
                env.put(e.getKey(), e.getValue());
            }
        }
        return env;
    }
}
