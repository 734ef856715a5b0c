package dev.appstrate.desktop.agentdev;

import dev.appstrate.desktop.client.ApiProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * One thing wrong with an agent folder, placed beside the file it is about: {@code manifest.json},
 * {@code prompt.md}, {@code input} (the run input) or "" for the folder as a whole.
 */
public record FolderProblem(String file, String field, String message) {
    public static final String MANIFEST = "manifest.json";
    public static final String PROMPT = "prompt.md";
    public static final String INPUT = "input";

    /** The server's field errors ({@code manifest.input.schema}, {@code prompt}, {@code input.name}) placed by file. */
    public static List<FolderProblem> fromServer(ApiProblem p) {
        List<FolderProblem> out = new ArrayList<>();
        for (ApiProblem.FieldError e : p.errors()) {
            out.add(new FolderProblem(fileOf(e.field()), e.field(), e.message()));
        }
        if (out.isEmpty()) {
            String param = p.param();
            out.add(new FolderProblem(fileOf(param), param, p.detail()));
        }
        return out;
    }

    static String fileOf(String field) {
        if (field == null) {
            return "";
        }
        if (field.equals("manifest") || field.startsWith("manifest.") || field.startsWith("manifest/")) {
            return MANIFEST;
        }
        if (field.equals("prompt") || field.startsWith("prompt.")) {
            return PROMPT;
        }
        if (field.equals("input") || field.startsWith("input.") || field.startsWith("input/")) {
            return INPUT;
        }
        return "";
    }

    /** As a terminal or list shows it: {@code manifest.json: manifest.name — Must be a scoped name}. */
    public String describe() {
        String where = file.isEmpty() ? "" : file + ": ";
        String what = field.isEmpty() || field.equals(file) ? "" : field + " — ";
        return where + what + message;
    }
}
