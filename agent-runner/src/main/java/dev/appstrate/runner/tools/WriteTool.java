package dev.appstrate.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creates or overwrites a file inside the workspace, creating parent directories. */
public final class WriteTool implements Tool {
    private final Workspace workspace;

    public WriteTool(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public String name() {
        return "write";
    }

    @Override
    public String description() {
        return "Write content to a file in the workspace (created or overwritten; parent directories are created).";
    }

    @Override
    public JsonNode parameters() {
        ObjectNode s = Tool.objectSchema("path", "content");
        Tool.prop(s, "path", "string", "File path, relative to the workspace");
        Tool.prop(s, "content", "string", "Full file content");
        return s;
    }

    @Override
    public ToolOutcome execute(JsonNode args) throws ToolFailure {
        String path = Tool.stringArg(args, true, "path", "file_path");
        String content = Tool.stringArg(args, true, "content");
        Path file = workspace.resolve(path);
        if (Files.isDirectory(file)) {
            throw new ToolFailure(path + " is a directory");
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new ToolFailure("Cannot write " + path + ": " + e.getMessage());
        }
        return ToolOutcome.ok("Wrote " + bytes.length + " bytes to " + workspace.display(file))
                .withDetails(Workspace.paths(workspace.display(file)));
    }
}
