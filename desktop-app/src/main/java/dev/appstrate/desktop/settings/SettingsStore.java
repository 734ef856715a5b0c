package dev.appstrate.desktop.settings;

import dev.appstrate.desktop.launch.OwnerOnlyFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code settings.properties} in the data folder; owner-only because it may hold a remote API key. */
public final class SettingsStore {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);
    public static final String FILE_NAME = "settings.properties";
    private static final String SERVER_PREFIX = "server.";

    private final Path file;

    public SettingsStore(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    public DesktopSettings load() {
        if (!Files.exists(file)) {
            return DesktopSettings.defaults();
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            LOG.warn("Settings unreadable, using defaults path={} error={}", file, e.toString());
            return DesktopSettings.defaults();
        }
        Map<String, String> server = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(SERVER_PREFIX)) {
                server.put(name.substring(SERVER_PREFIX.length()), p.getProperty(name));
            }
        }
        DesktopSettings.Mode mode;
        try {
            mode = DesktopSettings.Mode.valueOf(p.getProperty("mode", "EMBEDDED"));
        } catch (IllegalArgumentException e) {
            mode = DesktopSettings.Mode.EMBEDDED;
        }
        return new DesktopSettings(mode, p.getProperty("remote.url", ""), p.getProperty("remote.apiKey", ""),
                p.getProperty("theme", "light"), p.getProperty("applicationId", ""), server);
    }

    public void save(DesktopSettings s) throws IOException {
        Properties p = new Properties();
        p.setProperty("mode", s.mode().name());
        p.setProperty("remote.url", s.remoteUrl());
        p.setProperty("remote.apiKey", s.remoteApiKey());
        p.setProperty("theme", s.theme());
        p.setProperty("applicationId", s.applicationId());
        s.serverOverrides().forEach((k, v) -> p.setProperty(SERVER_PREFIX + k, v));
        StringWriter out = new StringWriter();
        p.store(out, "Appstrate Desktop settings");
        OwnerOnlyFiles.write(file, out.toString().getBytes(StandardCharsets.UTF_8));
    }
}
