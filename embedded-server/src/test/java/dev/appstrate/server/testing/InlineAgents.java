package dev.appstrate.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Inline-run bodies as an agent author's folder makes them: manifest.json + prompt.md, plus an input. */
public final class InlineAgents {
    public static final String PROMPT = "You greet people. Greet the person named in the input, then report the greeting.";

    private InlineAgents() {
    }

    /** An agent manifest with an input schema (a required name) and an output schema (a required greeting). */
    public static ObjectNode manifest() {
        ObjectNode m = Json.object();
        m.put("$schema", "https://schemas.afps.dev/v0/agent.schema.json");
        m.put("name", "@inline/greeter");
        m.put("display_name", "Greeter");
        m.put("version", "0.0.0");
        m.put("type", "agent");
        m.put("schema_version", "0.1");
        m.set("dependencies", Json.object());
        m.set("runtime_tools", Json.MAPPER.valueToTree(List.of("output", "log")));
        m.set("input", Json.object().set("schema", Json.MAPPER.valueToTree(Map.of("type", "object",
                "properties", Map.of("name", Map.of("type", "string")), "required", List.of("name")))));
        m.set("output", Json.object().set("schema", Json.MAPPER.valueToTree(Map.of("type", "object",
                "properties", Map.of("greeting", Map.of("type", "string")), "required", List.of("greeting")))));
        return m;
    }

    public static String body(JsonNode manifest, String prompt, JsonNode input) {
        ObjectNode b = Json.object();
        b.set("manifest", manifest);
        b.put("prompt", prompt);
        if (input != null) {
            b.set("input", input);
        }
        return b.toString();
    }

    public static ObjectNode input(String name) {
        return Json.object().put("name", name);
    }

    /** Writes a folder as the desktop's New agent… does: manifest.json and prompt.md. */
    public static Path writeFolder(Path dir, JsonNode manifest, String prompt) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("manifest.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
            Files.writeString(dir.resolve("prompt.md"), prompt);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder's current contents as an inline-run body (read at call time: what is on disk now runs). */
    public static String bodyFromFolder(Path dir, JsonNode input) {
        try {
            return body(Json.MAPPER.readTree(Files.readString(dir.resolve("manifest.json"))), Files.readString(dir.resolve("prompt.md")),
                    input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POST /api/runs/inline, expecting 201; returns the run. */
    public static JsonNode start(TestServer s, String body) {
        HttpResponse<String> r = s.post("/api/runs/inline", body);
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r);
    }
}
