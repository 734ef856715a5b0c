package dev.appstrate.runner.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The run's working directory. File tools resolve every path through it and refuse escapes. */
public final class Workspace {
    private final Path root;

    public Workspace(Path dir) {
        try {
            this.root = dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("workspace not accessible: " + dir, e);
        }
    }

    public Path root() {
        return root;
    }

    /**
     * Resolves a path given by the model (relative to the workspace, or absolute inside it). Refuses
     * {@code ..} escapes and symlinks that lead outside.
     */
    public Path resolve(String path) throws ToolFailure {
        if (path == null || path.isBlank()) {
            throw new ToolFailure("A path is required");
        }
        Path candidate;
        try {
            candidate = root.resolve(path.strip()).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new ToolFailure("Invalid path: " + path);
        }
        if (!candidate.startsWith(root)) {
            throw new ToolFailure("Path escapes the workspace: " + path);
        }
        Path existing = candidate;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            if (existing == null || !existing.toRealPath().startsWith(root)) {
                throw new ToolFailure("Path escapes the workspace: " + path);
            }
        } catch (IOException e) {
            throw new ToolFailure("Cannot access " + path + ": " + e.getMessage());
        }
        return candidate;
    }

    /** The path as shown back to the model: relative to the workspace root. */
    public String display(Path p) {
        Path rel = root.relativize(p);
        return rel.toString().isEmpty() ? "." : rel.toString();
    }

    /** The inspector's {@code {"paths": [...]}} for a file tool's outcome. */
    static com.fasterxml.jackson.databind.node.ObjectNode paths(String... shown) {
        com.fasterxml.jackson.databind.node.ObjectNode d = dev.appstrate.runner.Json.object();
        var arr = d.putArray("paths");
        for (String p : shown) {
            arr.add(p);
        }
        return d;
    }
}
