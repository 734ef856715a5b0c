package dev.appstrate.desktop.ui.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.ui.Shown;

/** A container, network or volume Appstrate owns on the engine, with its run, state, age and orphan flag. */
public record ResourceRow(String id, String kind, String name, String runId, String state, String age, boolean orphaned,
                          String image) {
    static ResourceRow of(JsonNode r) {
        JsonNode age = r.get("age_seconds");
        return new ResourceRow(DesktopJson.text(r, "id"), DesktopJson.text(r, "kind"), DesktopJson.text(r, "name"),
                DesktopJson.text(r, "runId"), DesktopJson.text(r, "state"),
                age == null || age.isNull() ? "" : Shown.age(age.asLong()), r.path("orphaned").asBoolean(),
                DesktopJson.text(r, "image"));
    }

    /** "orphan" (its run is unknown or over) or "active". */
    public String badge() {
        return orphaned ? "orphan" : "active";
    }

    /** One line for the cleanup confirmation: exactly what goes. */
    public String describe() {
        return kind + "  " + name + "  ·  " + (runId.isEmpty() ? "no run" : "run " + runId) + "  ·  " + state
                + (age.isEmpty() ? "" : "  ·  " + age + " old") + (orphaned ? "" : "  ·  ACTIVE");
    }

    @Override
    public String toString() {
        return describe();
    }
}
