package dev.appstrate.desktop.agentdev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.DesktopJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentFolderTest {
    @TempDir
    Path dir;

    @Test
    void theTemplateIsAReadableAgentWhoseBodyCarriesManifestPromptAndInput() throws Exception {
        AgentFolder f = AgentTemplate.write(dir.resolve("hello"), "Hello Agent");
        assertTrue(f.readable(), () -> f.problems().toString());
        assertEquals("Hello Agent", f.displayName());
        assertEquals("@local/hello-agent", f.manifest().path("name").asText());
        assertTrue(f.takesInput());
        JsonNode body = f.inlineBody(DesktopJson.object().put("name", "Ada"));
        assertEquals("Ada", body.path("input").path("name").asText());
        assertTrue(body.path("prompt").asText().contains("name"));
        assertEquals("object", body.path("manifest").path("output").path("schema").path("type").asText());
    }

    @Test
    void missingPromptAndBrokenManifestArePlacedBesideTheirFiles() throws Exception {
        Files.writeString(dir.resolve("manifest.json"), "{\n  \"name\": \"@local/x\",\n  oops\n}");
        AgentFolder f = AgentFolder.read(dir);
        assertFalse(f.readable());
        List<String> files = f.problems().stream().map(FolderProblem::file).toList();
        assertEquals(List.of("manifest.json", "prompt.md"), files);
        assertTrue(f.problems().get(0).message().contains("line 3"), f.problems().get(0).message());
    }

    @Test
    void serverFieldErrorsArePlacedByFile() {
        ApiProblem p = new ApiProblem(400, "invalid_manifest", "Invalid", "2 problems", List.of(
                new ApiProblem.FieldError("manifest.name", "invalid_manifest", "Must be scoped"),
                new ApiProblem.FieldError("input.name", "invalid_input", "required")));
        List<FolderProblem> out = FolderProblem.fromServer(p);
        assertEquals("manifest.json", out.get(0).file());
        assertEquals("input", out.get(1).file());
        assertEquals("manifest.json: manifest.name — Must be scoped", out.get(0).describe());
    }

    @Test
    void exportIsAZipWithManifestAtTheRootSkillsIncludedAndHiddenFilesLeftOut() throws Exception {
        AgentTemplate.write(dir, "Exported");
        Files.createDirectories(dir.resolve("skills/greet"));
        Files.writeString(dir.resolve("skills/greet/SKILL.md"), "---\nname: greet\n---\nSay hi");
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve(".git/HEAD"), "ref");
        Files.writeString(dir.resolve("prompt.md~"), "backup");
        AgentFolder f = AgentFolder.read(dir);
        assertEquals(List.of("greet"), f.skills());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        f.exportAfps(bytes);
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        assertEquals(List.of("manifest.json", "prompt.md", "skills/greet/SKILL.md"), names);
        assertEquals("exported-0.1.0.afps", f.afpsFileName());
    }

    @Test
    void theListOfFoldersSurvivesARestart() throws Exception {
        AgentFolderList list = new AgentFolderList(dir);
        assertEquals(List.of(), list.load());
        list.save(List.of(dir.resolve("a"), dir.resolve("b")));
        assertEquals(List.of(dir.resolve("a"), dir.resolve("b")), new AgentFolderList(dir).load());
    }
}
