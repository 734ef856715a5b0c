package dev.appstrate.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Before finalize, as the original's runtime does: every file the agent left directly in {@code outputs/} is published to
 * the run's documents route, and a {@code document.published} event says so in the run's log.
 */
final class OutputsSweep {
    private static final Map<String, String> TYPES = Map.of("md", "text/markdown", "json", "application/json",
            "txt", "text/plain", "csv", "text/csv", "html", "text/html", "pdf", "application/pdf", "png", "image/png",
            "yaml", "application/yaml", "yml", "application/yaml");

    private OutputsSweep() {
    }

    /**
     * Publishes the files, each streamed from disk; answers how many were stored. Never throws: a file over
     * {@code maxFileBytes} (the server's DOCUMENT_MAX_FILE_BYTES) is not sent, and it or one that cannot be sent is
     * logged and said in the run's log.
     */
    static int publish(Path workspace, EventSink sink, long maxFileBytes) {
        Path outputs = workspace.resolve("outputs");
        if (!Files.isDirectory(outputs, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(outputs)) {
            // regular files only, never through a symlink: the agent cannot publish what lies outside its workspace
            files = s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        } catch (IOException e) {
            RunnerLog.warn("outputs not listed", "error", e.toString());
            return 0;
        }
        int stored = 0;
        for (Path f : files) {
            String name = f.getFileName().toString();
            try {
                long size = Files.size(f);
                if (size > maxFileBytes) {
                    RunnerLog.warn("output not published: too large", "name", name, "sizeBytes", size, "limitBytes", maxFileBytes);
                    warn(sink, "outputs/" + name + " not published: " + size + " bytes is over the server's limit of "
                            + maxFileBytes + " bytes (DOCUMENT_MAX_FILE_BYTES)", name);
                    continue;
                }
                EventSink.Publication published = sink.publishDocument(name, type(name), f);
                JsonNode doc = published.document();
                if (doc == null) {
                    RunnerLog.warn("output not published", "name", name, "status", published.status());
                    warn(sink, "outputs/" + name + " not published: " + why(published), name);
                    continue;
                }
                stored++;
                if (doc.isObject() && doc.has("id")) {
                    ObjectNode data = ((ObjectNode) doc).deepCopy();
                    data.put("document_id", doc.get("id").asText());
                    data.remove("id");
                    sink.emit("document.published", data);
                }
            } catch (IOException e) {
                RunnerLog.warn("output not read", "name", name, "error", e.toString());
                warn(sink, "outputs/" + name + " not published: it could not be read", name);
            }
        }
        return stored;
    }

    /** Why the server did not store a file, in the words of its answer when it gave some. */
    static String why(EventSink.Publication p) {
        if (p.status() == 0 || p.status() >= 500 || p.status() == 429) {
            return "the server did not store it (see the runner's log)";
        }
        String meaning = p.detail() != null ? p.detail() : switch (p.status()) {
            case 413 -> "over its document size limit (DOCUMENT_MAX_FILE_BYTES)";
            case 401, 403 -> "the run's signature was not accepted";
            case 404, 410 -> "the run no longer takes documents";
            default -> "see the runner's log";
        };
        return "the server refused it (" + p.status() + "): " + meaning;
    }

    /** A warning in the run's log, where the user looks for the missing document. */
    private static void warn(EventSink sink, String message, String name) {
        sink.emit("appstrate.progress", Json.object().put("message", message).put("level", "warn")
                .set("data", Json.object().put("name", name)));
    }

    static String type(String name) {
        int dot = name.lastIndexOf('.');
        String known = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (known != null) {
            return known;
        }
        String guessed = URLConnection.guessContentTypeFromName(name);
        return guessed != null ? guessed : "application/octet-stream";
    }
}
