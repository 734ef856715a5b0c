package dev.appstrate.desktop.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The original server's recorded exchanges ({@code appstrate-live-transcript.md}): each section's heading, status and
 * JSON body. A list body the recording trimmed is cut back to its last whole item, so it still parses.
 */
public final class Transcript {
    /** One recorded answer: the section heading (which names the request), its status and body (null if none). */
    public record Exchange(String heading, int status, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Exchange> exchanges;

    private Transcript(List<Exchange> exchanges) {
        this.exchanges = List.copyOf(exchanges);
    }

    public static Transcript load() {
        try {
            return parse(Files.readString(Reference.file("appstrate-live-transcript.md")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Transcript parse(String text) {
        List<Exchange> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        String heading = null;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("### ")) {
                heading = lines[i].substring(4).trim();
            } else if (lines[i].equals("```http") && heading != null && i + 1 < lines.length) {
                int status = Integer.parseInt(lines[i + 1].split(" ")[1]);
                int j = i + 1;
                while (j < lines.length && !lines[j].isBlank()) {
                    j++;
                }
                StringBuilder body = new StringBuilder();
                for (j++; j < lines.length && !lines[j].equals("```"); j++) {
                    body.append(lines[j]).append('\n');
                }
                out.add(new Exchange(heading, status, json(body.toString())));
                i = j;
            }
        }
        return new Transcript(out);
    }

    /** The first exchange whose heading contains {@code headingPart}. */
    public Exchange find(String headingPart) {
        return exchanges.stream().filter(e -> e.heading().contains(headingPart)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no recorded exchange \"" + headingPart + "\""));
    }

    /** A copy of the recorded body, to be changed freely. */
    public JsonNode body(String headingPart) {
        JsonNode b = find(headingPart).body();
        if (b == null) {
            throw new IllegalArgumentException("the recorded exchange \"" + headingPart + "\" has no JSON body");
        }
        return b.deepCopy();
    }

    public List<Exchange> exchanges() {
        return exchanges;
    }

    private static JsonNode json(String text) {
        String t = text.strip();
        if (t.isEmpty() || !(t.startsWith("{") || t.startsWith("["))) {
            return null;
        }
        int trimmed = t.indexOf("\n… [trimmed");
        if (trimmed >= 0) {
            t = repairList(t.substring(0, trimmed));
        }
        try {
            return JSON.readTree(t);
        } catch (IOException e) {
            return null; // a trimmed body that is not a list envelope: not usable
        }
    }

    /** Keeps the whole items of a trimmed {"object":"list","data":[…]} body and closes it. */
    private static String repairList(String head) {
        int lastItemEnd = Math.max(head.lastIndexOf("\n    },"), head.lastIndexOf("\n    }\n"));
        if (lastItemEnd < 0) {
            return head;
        }
        return head.substring(0, lastItemEnd) + "\n    }\n  ],\n  \"hasMore\": false\n}";
    }
}
