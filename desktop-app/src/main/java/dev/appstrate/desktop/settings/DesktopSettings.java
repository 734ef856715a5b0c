package dev.appstrate.desktop.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the user chose in the app: where the server is (embedded or remote), the look, the current
 * application, and server settings that apply at the next start of the embedded server.
 */
public record DesktopSettings(
        Mode mode,
        String remoteUrl,
        String remoteApiKey,
        String theme,
        String applicationId,
        Map<String, String> serverOverrides) {

    public enum Mode { EMBEDDED, REMOTE }

    /** Server settings the Settings screen edits; they take effect when the embedded server restarts. */
    public static final List<String> SERVER_SETTING_NAMES = List.of(
            "PORT", "LOG_LEVEL", "RUN_ADAPTER", "PI_IMAGE", "SIDECAR_IMAGE", "SIDECAR_POOL_SIZE",
            "EGRESS_ALLOW_INTERNAL_HOSTS");

    public DesktopSettings {
        serverOverrides = Map.copyOf(serverOverrides == null ? Map.of() : serverOverrides);
        theme = theme == null || theme.isBlank() ? "light" : theme;
        mode = mode == null ? Mode.EMBEDDED : mode;
    }

    public static DesktopSettings defaults() {
        return new DesktopSettings(Mode.EMBEDDED, "", "", "light", "", Map.of());
    }

    public boolean dark() {
        return "dark".equals(theme);
    }

    public DesktopSettings withTheme(String t) {
        return new DesktopSettings(mode, remoteUrl, remoteApiKey, t, applicationId, serverOverrides);
    }

    public DesktopSettings withApplicationId(String id) {
        return new DesktopSettings(mode, remoteUrl, remoteApiKey, theme, id, serverOverrides);
    }

    public DesktopSettings withRemote(Mode m, String url, String apiKey) {
        return new DesktopSettings(m, url, apiKey, theme, applicationId, serverOverrides);
    }

    public DesktopSettings withServerOverrides(Map<String, String> overrides) {
        Map<String, String> clean = new LinkedHashMap<>();
        overrides.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                clean.put(k, v.trim());
            }
        });
        return new DesktopSettings(mode, remoteUrl, remoteApiKey, theme, applicationId, clean);
    }
}
