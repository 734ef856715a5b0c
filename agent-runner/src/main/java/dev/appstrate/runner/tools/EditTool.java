package dev.appstrate.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Replaces one exact, unique occurrence of a string in a workspace file. */
public final class EditTool implements Tool {
    private final Workspace workspace;

    public EditTool(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public String name() {
        return "edit";
    }

    @Override
    public String description() {
        return "Edit a file in the workspace by replacing an exact string. old_string must occur exactly once "
                + "(include surrounding context to make it unique).";
    }

    @Override
    public JsonNode parameters() {
        ObjectNode s = Tool.objectSchema("path", "old_string", "new_string");
        Tool.prop(s, "path", "string", "File path, relative to the workspace");
        Tool.prop(s, "old_string", "string", "Exact text to replace (must be unique in the file)");
        Tool.prop(s, "new_string", "string", "Replacement text");
        return s;
    }

    @Override
    public ToolOutcome execute(JsonNode args) throws ToolFailure {
        String path = Tool.stringArg(args, true, "path", "file_path");
        String oldText = Tool.stringArg(args, true, "old_string", "oldText");
        String newText = Tool.stringArg(args, true, "new_string", "newText");
        if (oldText.isEmpty()) {
            throw new ToolFailure("old_string must not be empty");
        }
        Path file = workspace.resolve(path);
        String content;
        try {
            content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ToolFailure("File not found: " + path);
        } catch (IOException e) {
            throw new ToolFailure("Cannot read " + path + ": " + e.getMessage());
        }
        int first = content.indexOf(oldText);
        if (first < 0) {
            throw new ToolFailure("old_string not found in " + path);
        }
        int occurrences = 0;
        for (int i = first; i >= 0; i = content.indexOf(oldText, i + oldText.length())) {
            occurrences++;
        }
        if (occurrences > 1) {
            throw new ToolFailure("old_string is not unique in " + path + " (" + occurrences
                    + " occurrences); add surrounding context");
        }
        String updated = content.substring(0, first) + newText + content.substring(first + oldText.length());
        try {
            Files.write(file, updated.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ToolFailure("Cannot write " + path + ": " + e.getMessage());
        }
        return ToolOutcome.ok("Edited " + workspace.display(file) + " (1 replacement)").withDetails(Workspace.paths(workspace.display(file)));
    }
}
