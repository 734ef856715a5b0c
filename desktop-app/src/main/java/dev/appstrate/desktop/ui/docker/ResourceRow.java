package dev.appstrate.desktop.ui.docker;

import dev.appstrate.desktop.client.DockerApi;
import dev.appstrate.desktop.ui.Shown;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * A container, network or volume Appstrate owns on the engine, with its run, state, creation time (null when the
 * engine does not say) and orphan flag; its age is computed when shown, so it grows while the screen is open.
 */
public record ResourceRow(String id, String kind, String name, String runId, String state, Instant createdAt,
                          boolean orphaned, String image) {
    static ResourceRow of(DockerApi.Resource r) {
        return of(r, Instant.now());
    }

    static ResourceRow of(DockerApi.Resource r, Instant now) {
        return new ResourceRow(r.id(), r.kind(), r.name(), r.runId(), r.state(), created(r, now), r.orphaned(), r.image());
    }

    private static Instant created(DockerApi.Resource r, Instant now) {
        try {
            if (!r.createdAt().isEmpty()) {
                return Instant.parse(r.createdAt());
            }
        } catch (DateTimeException e) {
            // fall back to the server's age below
        }
        return r.ageSeconds() < 0 ? null : now.minusSeconds(r.ageSeconds());
    }

    /** How old it is now, e.g. "5 min"; "" when the engine gave no creation time. */
    public String age() {
        return age(Instant.now());
    }

    public String age(Instant now) {
        return createdAt == null ? "" : Shown.age(Math.max(0, Duration.between(createdAt, now).toSeconds()));
    }

    /** "orphan" (its run is unknown or over) or "active". */
    public String badge() {
        return orphaned ? "orphan" : "active";
    }

    /** One line for the cleanup confirmation: exactly what goes. */
    public String describe() {
        return kind + "  " + name + "  ·  " + (runId.isEmpty() ? "no run" : "run " + runId) + "  ·  " + state
                + (age().isEmpty() ? "" : "  ·  " + age() + " old") + (orphaned ? "" : "  ·  ACTIVE");
    }

    @Override
    public String toString() {
        return describe();
    }
}
