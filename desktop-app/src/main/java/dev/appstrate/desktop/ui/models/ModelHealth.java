package dev.appstrate.desktop.ui.models;

import dev.appstrate.desktop.client.ModelsApi.Health;
import dev.appstrate.desktop.client.ModelsApi.Model;

/** What the Health column of the Models and Providers tables says. */
public final class ModelHealth {
    private ModelHealth() {
    }

    /** A health cell: "✓ 12 ms", "✗ the reason", or "○ untested: Test checks it" (a plain "not tested" read like a failure). */
    public static String healthText(Health h) {
        return switch (h.status()) {
            case "ok" -> "✓ " + h.latencyMs() + " ms";
            case "failed" -> "✗ " + h.error();
            default -> "○ untested: Test checks it";
        };
    }

    /** A model's health cell; one set in the server's environment is tested there, not here. */
    public static String healthText(Model m) {
        return m.fromEnvironment() && !m.health().failed() && !"ok".equals(m.health().status())
                ? "○ untested here: set in the server's environment" : healthText(m.health());
    }
}
