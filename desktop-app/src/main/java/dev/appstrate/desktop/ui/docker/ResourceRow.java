package dev.appstrate.desktop.ui.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.DesktopJson;
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
    static ResourceRow of(JsonNode r) {
        return of(r, Instant.now());
    }

    static ResourceRow of(JsonNode r, Instant now) {
        return new ResourceRow(DesktopJson.text(r, "id"), DesktopJson.text(r, "kind"), DesktopJson.text(r, "name"),
                DesktopJson.text(r, "runId"), DesktopJson.text(r, "state"), created(r, now), r.path("orphaned").asBoolean(),
                DesktopJson.text(r, "image"));
    }

    private static Instant created(JsonNode r, Instant now) {
        try {
            if (r.hasNonNull("createdAt")) {
                return Instant.parse(r.get("createdAt").asText());
            }
        } catch (DateTimeException e) {
            // fall back to the server's age below
        }
        JsonNode age = r.get("age_seconds");
        return age == null || age.isNull() ? null : now.minusSeconds(age.asLong());
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
