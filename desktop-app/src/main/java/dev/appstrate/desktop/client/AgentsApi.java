package dev.appstrate.desktop.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Agents and their packages ({@code /api/agents}, {@code /api/packages/agents/…}), read into typed records (unknown fields ignored). */
public final class AgentsApi {
    /** One agent as listed; absent texts are "" (screens show blanks, never "null"). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Agent(String id, @JsonProperty("display_name") String displayName, String version, String description,
                        @JsonProperty("running_runs") int runningRuns) {
        public Agent {
            id = blank(id);
            displayName = blank(displayName);
            version = blank(version);
            description = blank(description);
        }
    }

    /** An agent's detail. {@code manifest} and {@code input} stay JSON: the package author wrote them (shown as is, or read by InputForm). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Detail(String id, @JsonProperty("display_name") String displayName, String version, String description,
                         String prompt, JsonNode manifest, JsonNode input) {
        public Detail {
            id = blank(id);
            displayName = blank(displayName);
            version = blank(version);
            description = blank(description);
            prompt = blank(prompt);
            manifest = manifest == null || manifest.isNull() ? DesktopJson.object() : manifest;
        }

        /** The input spec: the detail's own, else the manifest's ({@code {schema, …}}; missing when the agent takes none). */
        public JsonNode inputSpec() {
            return input != null && !input.isNull() ? input : manifest.path("input");
        }

        /** The display name, or the id when there is none. */
        public String title() {
            return displayName.isEmpty() ? id : displayName;
        }
    }

    /** A published version; the original lists plain version strings, ours objects with a creation time ("" for none). */
    public record Version(String version, String createdAt) {
        static Version of(JsonNode v) {
            return v.isTextual() ? new Version(v.asText(), "") : new Version(DesktopJson.text(v, "version"), DesktopJson.text(v, "createdAt"));
        }
    }

    /** What an import answers: the package and the version it installed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Imported(String packageId, String version) {
        public Imported {
            packageId = blank(packageId);
            version = blank(version);
        }
    }

    private final AppstrateClient client;

    public AgentsApi(AppstrateClient client) {
        this.client = client;
    }

    public List<Agent> list() {
        List<Agent> out = new ArrayList<>();
        client.agents().path("data").forEach(a -> out.add(DesktopJson.MAPPER.convertValue(a, Agent.class)));
        return out;
    }

    public Detail detail(String packageId) {
        return DesktopJson.MAPPER.convertValue(client.agent(packageId), Detail.class);
    }

    public List<Version> versions(String packageId) {
        JsonNode v = client.agentVersions(packageId);
        List<Version> out = new ArrayList<>();
        (v.has("versions") ? v.get("versions") : v.path("data")).forEach(x -> out.add(Version.of(x)));
        return out;
    }

    public Imported importPackage(Path file, boolean force) {
        return DesktopJson.MAPPER.convertValue(client.importPackage(file, force), Imported.class);
    }

    /** Starts a run ({@code version} null for the published one, "draft" for the working copy); the created run. */
    public Run run(String packageId, JsonNode input, String version) {
        return Run.of(client.runAgent(packageId, input, version));
    }

    private static String blank(String s) {
        return s == null ? "" : s;
    }
}
