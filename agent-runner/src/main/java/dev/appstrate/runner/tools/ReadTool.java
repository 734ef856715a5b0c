package dev.appstrate.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a text file inside the workspace, optionally a line window (offset is 1-based). */
public final class ReadTool implements Tool {
    static final int MAX_LINES = 2000;
    private final Workspace workspace;
    private final int byteLimit;

    public ReadTool(Workspace workspace, int byteLimit) {
        this.workspace = workspace;
        this.byteLimit = byteLimit;
    }

    @Override
    public String name() {
        return "read";
    }

    @Override
    public String description() {
        return "Read a text file from the workspace (path relative to the workspace). At most " + MAX_LINES
                + " lines or " + byteLimit / 1000 + " KB per call; use offset/limit for large files.";
    }

    @Override
    public JsonNode parameters() {
        ObjectNode s = Tool.objectSchema("path");
        Tool.prop(s, "path", "string", "File path, relative to the workspace");
        Tool.prop(s, "offset", "integer", "Line number to start from (1-based)");
        Tool.prop(s, "limit", "integer", "Maximum number of lines to read");
        return s;
    }

    @Override
    public ToolOutcome execute(JsonNode args) throws ToolFailure {
        String path = Tool.stringArg(args, true, "path", "file_path");
        Path file = workspace.resolve(path);
        if (Files.isDirectory(file)) {
            throw new ToolFailure(path + " is a directory");
        }
        String content;
        try {
            content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ToolFailure("File not found: " + path);
        } catch (IOException e) {
            throw new ToolFailure("Cannot read " + path + ": " + e.getMessage());
        }
        String[] lines = content.split("\n", -1);
        int total = content.endsWith("\n") ? lines.length - 1 : lines.length;
        int offset = Math.max(1, args.path("offset").asInt(1));
        if (offset > Math.max(total, 1)) {
            throw new ToolFailure("Offset " + offset + " is beyond the end of the file (" + total + " lines)");
        }
        int limit = args.path("limit").asInt(MAX_LINES);
        int end = Math.min(total, offset - 1 + Math.max(1, Math.min(limit, MAX_LINES)));
        StringBuilder sb = new StringBuilder();
        int last = offset - 1;
        for (int i = offset - 1; i < end; i++) {
            if (sb.length() + lines[i].length() + 1 > byteLimit) {
                break;
            }
            sb.append(lines[i]).append('\n');
            last = i + 1;
        }
        if (last < total) {
            sb.append("\n[truncated: showing lines ").append(offset).append('-').append(last).append(" of ")
                    .append(total).append("; use offset=").append(last + 1).append(" to continue]");
        }
        return ToolOutcome.ok(sb.length() == 0 ? "(empty file)" : sb.toString()).withDetails(Workspace.paths(workspace.display(file)));
    }
}
