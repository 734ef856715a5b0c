package dev.appstrate.desktop.agentdev;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.desktop.client.DesktopJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * An agent being developed in a folder: {@code manifest.json}, {@code prompt.md}, optional
 * {@code skills/<id>/SKILL.md} and other files. Read as a whole on every change; what it holds becomes
 * the body of {@code POST /api/runs/inline} (the desktop page and the {@code appstrate run} command both
 * use this). Problems found locally (missing or unreadable files) are listed, never thrown.
 */
public record AgentFolder(Path dir, JsonNode manifest, String prompt, List<String> skills, List<String> files,
                          List<FolderProblem> problems) {
    /** Hidden files and folders (.git, .DS_Store) and editor droppings are not part of a package. */
    private static final List<String> SKIPPED_SUFFIXES = List.of("~", ".swp", ".swx", ".tmp");

    public AgentFolder {
        skills = List.copyOf(skills);
        files = List.copyOf(files);
        problems = List.copyOf(problems);
    }

    public static AgentFolder read(Path dir) {
        List<FolderProblem> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            problems.add(new FolderProblem("", "", dir + " is not a folder"));
            return new AgentFolder(dir, null, null, List.of(), List.of(), problems);
        }
        JsonNode manifest = readManifest(dir.resolve(FolderProblem.MANIFEST), problems);
        String prompt = null;
        Path promptFile = dir.resolve(FolderProblem.PROMPT);
        if (!Files.isRegularFile(promptFile)) {
            problems.add(new FolderProblem(FolderProblem.PROMPT, "prompt", "prompt.md is missing: write the agent's instructions there"));
        } else {
            try {
                prompt = Files.readString(promptFile, StandardCharsets.UTF_8);
                if (prompt.isBlank()) {
                    problems.add(new FolderProblem(FolderProblem.PROMPT, "prompt", "prompt.md is empty"));
                }
            } catch (IOException e) {
                problems.add(new FolderProblem(FolderProblem.PROMPT, "prompt", "prompt.md cannot be read: " + e.getMessage()));
            }
        }
        List<String> files = new ArrayList<>();
        List<String> skills = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(AgentFolder::packaged).sorted().forEach(files::add);
        } catch (IOException e) {
            problems.add(new FolderProblem("", "", "The folder cannot be listed: " + e.getMessage()));
        }
        for (String f : files) {
            String[] parts = f.split("/");
            if (parts.length == 3 && parts[0].equals("skills") && parts[2].equals("SKILL.md")) {
                skills.add(parts[1]);
            }
        }
        return new AgentFolder(dir, manifest, prompt, skills, files, problems);
    }

    private static JsonNode readManifest(Path file, List<FolderProblem> problems) {
        if (!Files.isRegularFile(file)) {
            problems.add(new FolderProblem(FolderProblem.MANIFEST, "manifest", "manifest.json is missing"));
            return null;
        }
        try {
            JsonNode m = DesktopJson.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (m == null || !m.isObject()) {
                problems.add(new FolderProblem(FolderProblem.MANIFEST, "manifest", "manifest.json must hold a JSON object"));
                return null;
            }
            return m;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String at = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            problems.add(new FolderProblem(FolderProblem.MANIFEST, "manifest", "manifest.json is not valid JSON" + at + ": "
                    + e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            problems.add(new FolderProblem(FolderProblem.MANIFEST, "manifest", "manifest.json cannot be read: " + e.getMessage()));
            return null;
        }
    }

    private static boolean packaged(String relative) {
        for (String seg : relative.split("/")) {
            if (seg.startsWith(".")) {
                return false;
            }
        }
        return SKIPPED_SUFFIXES.stream().noneMatch(relative::endsWith);
    }

    /** Whether manifest and prompt could be read (the server judges the rest). */
    public boolean readable() {
        return manifest != null && prompt != null && problems.isEmpty();
    }

    /** The manifest's display name, else its name, else the folder's name. */
    public String displayName() {
        if (manifest != null) {
            String d = DesktopJson.text(manifest, "display_name");
            if (!d.isBlank()) {
                return d;
            }
            String n = DesktopJson.text(manifest, "name");
            if (!n.isBlank()) {
                return n;
            }
        }
        return dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    }

    /** {@code manifest.input} (schema and property order), or an empty object: what the run form is built from. */
    public JsonNode inputSpec() {
        JsonNode in = manifest == null ? null : manifest.get("input");
        return in == null || !in.isObject() ? DesktopJson.object() : in;
    }

    /** Whether the manifest asks for any input at all. */
    public boolean takesInput() {
        return inputSpec().path("schema").path("properties").size() > 0;
    }

    /** The body of {@code POST /api/runs/inline} and {@code /validate}: manifest, prompt and (when given) input. */
    public ObjectNode inlineBody(JsonNode input) {
        if (!readable()) {
            throw new IllegalStateException("The agent folder " + dir + " has problems: " + problems.get(0).describe());
        }
        ObjectNode body = DesktopJson.object();
        body.set("manifest", manifest.deepCopy());
        body.put("prompt", prompt);
        if (input != null && input.isObject()) {
            body.set("input", input.deepCopy());
        }
        return body;
    }

    /** Writes the folder as an {@code .afps} package (a ZIP with manifest.json at its root), what the server imports. */
    public void exportAfps(OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String f : files) {
                zip.putNextEntry(new ZipEntry(f));
                Files.copy(dir.resolve(f), zip);
                zip.closeEntry();
            }
        }
    }

    /** "name@version" from the manifest, "?" when it could not be read. */
    public String packageLabel() {
        return manifest == null ? "?" : DesktopJson.text(manifest, "name") + "@" + DesktopJson.text(manifest, "version");
    }

    /** The package file name the manifest suggests: {@code hello-1.0.0.afps}. */
    public String afpsFileName() {
        String name = manifest == null ? "" : DesktopJson.text(manifest, "name");
        String bare = name.contains("/") ? name.substring(name.indexOf('/') + 1) : name;
        if (bare.isBlank()) {
            bare = dir.getFileName() == null ? "agent" : dir.getFileName().toString();
        }
        String version = manifest == null ? "" : DesktopJson.text(manifest, "version");
        return bare + (version.isBlank() ? "" : "-" + version) + ".afps";
    }
}
