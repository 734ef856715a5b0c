package dev.appstrate.desktop.agentdev;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.desktop.client.DesktopJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** "New agent…": a folder that validates and runs at once — a name input, a greeting output, a prompt that uses both. */
public final class AgentTemplate {
    private AgentTemplate() {
    }

    /** Writes manifest.json and prompt.md into {@code dir} (created; refused when it already holds a manifest). */
    public static AgentFolder write(Path dir, String displayName) throws IOException {
        if (Files.exists(dir.resolve(FolderProblem.MANIFEST))) {
            throw new FileAlreadyExistsException(dir.resolve(FolderProblem.MANIFEST).toString(), null,
                    "the folder already holds an agent");
        }
        Files.createDirectories(dir);
        String slug = slug(displayName.isBlank() ? String.valueOf(dir.getFileName()) : displayName);
        Files.writeString(dir.resolve(FolderProblem.MANIFEST), DesktopJson.pretty(manifest(slug, displayName)) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(FolderProblem.PROMPT), String.join("\n",
                "You greet people warmly.",
                "",
                "Read the person's `name` from the input below and write a one-sentence greeting that uses it.",
                "Then call the `output` tool with `greeting` set to that sentence.",
                ""), StandardCharsets.UTF_8);
        return AgentFolder.read(dir);
    }

    static ObjectNode manifest(String slug, String displayName) {
        ObjectNode m = DesktopJson.object();
        m.put("$schema", "https://schemas.afps.dev/v0/agent.schema.json");
        m.put("name", "@local/" + slug).put("version", "0.1.0").put("type", "agent").put("schema_version", "0.1")
                .put("display_name", displayName.isBlank() ? slug : displayName)
                .put("description", "Greets a person by name.");
        m.putObject("dependencies");
        m.putArray("runtime_tools").add("output").add("log");
        ObjectNode in = m.putObject("input").putObject("schema");
        in.put("type", "object");
        in.putObject("properties").putObject("name").put("type", "string").put("description", "Who to greet");
        in.putArray("required").add("name");
        ObjectNode out = m.putObject("output").putObject("schema");
        out.put("type", "object");
        out.putObject("properties").putObject("greeting").put("type", "string");
        out.putArray("required").add("greeting");
        return m;
    }

    /** A package name part: lowercase letters, digits and single dashes. */
    static String slug(String s) {
        String x = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return x.isEmpty() ? "my-agent" : x;
    }
}
