package dev.appstrate.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The size rule of a run log row, applied by the runner before it sends an event and by the server before it stores a
 * row, so both agree: a {@code message} over {@link #MAX_BYTES} (UTF-8) keeps its beginning and ends with a visible
 * marker; a {@code data} whose JSON is over it (the original's {@code run_logs.data} cap, which drops it) becomes
 * {@code {"truncated":true,"bytes":N,"limit":32768,"preview":"<its JSON's beginning>"}}. Truncating, not refusing,
 * keeps the event, its sequence and the run's log complete. Applying the rule twice changes nothing more.
 */
public final class LogLimits {
    /** The original's cap on {@code run_logs.data}; messages get the same. */
    public static final int MAX_BYTES = 32 * 1024;
    /** How much of an oversized data's JSON is kept: escaped, it still fits well inside the cap. */
    static final int PREVIEW_BYTES = 8 * 1024;
    /** The event types that become log rows with a message and a data (the output keeps its own, whole, in the run). */
    private static final Set<String> LOG_EVENTS = Set.of("log.written", "appstrate.progress", "appstrate.error");

    private LogLimits() {
    }

    /** How the marker after a cut message begins. */
    public static final String CUT_MARKER = " … [truncated: ";

    /** Where a cut message's kept text ends (its marker begins), or -1 when the message was not cut by this rule. */
    public static int cutAt(String message) {
        if (message == null || !message.endsWith("-byte limit]")) {
            return -1;
        }
        return message.lastIndexOf(CUT_MARKER);
    }

    /** The message as stored: itself when within the cap, else its beginning and the marker, within the cap. */
    public static String message(String message) {
        if (message == null || message.length() <= MAX_BYTES / 3) {
            return message;
        }
        int bytes = utf8Length(message);
        if (bytes <= MAX_BYTES) {
            return message;
        }
        String marker = CUT_MARKER + bytes + " bytes, over the " + MAX_BYTES + "-byte limit]";
        return message.substring(0, prefixFitting(message, MAX_BYTES - utf8Length(marker))) + marker;
    }

    /** The data as stored: itself when its JSON is within the cap, else the truncation record with a preview. */
    public static JsonNode data(JsonNode data) {
        if (data == null || !data.isContainerNode() && !data.isTextual()) {
            return data;
        }
        // no shortcut for data shaped like the record: a real one is within the cap and returned as it is below
        if (jsonBytesAtMost(data, MAX_BYTES) <= MAX_BYTES) {
            return data; // the common small data: no serialising on every stored row
        }
        String json = Json.write(data);
        if (json.length() <= MAX_BYTES / 3) {
            return data;
        }
        int bytes = utf8Length(json);
        if (bytes <= MAX_BYTES) {
            return data;
        }
        ObjectNode record = Json.object();
        record.put("truncated", true);
        record.put("bytes", bytes);
        record.put("limit", MAX_BYTES);
        record.put("preview", json.substring(0, prefixFitting(json, PREVIEW_BYTES)));
        return record;
    }

    /**
     * A runner event's data with its row's {@code message} and {@code data} within the rule (the same node when nothing
     * was over); other event types (output, documents, transcript) are left whole.
     */
    public static JsonNode event(String type, JsonNode eventData) {
        if (!LOG_EVENTS.contains(type) || eventData == null || !eventData.isObject()) {
            return eventData;
        }
        JsonNode message = eventData.get("message");
        JsonNode data = eventData.get("data");
        String cappedMessage = message != null && message.isTextual() ? message(message.asText()) : null;
        JsonNode cappedData = data(data);
        boolean messageCut = cappedMessage != null && !cappedMessage.equals(message.asText());
        if (!messageCut && cappedData == data) {
            return eventData;
        }
        ObjectNode copy = ((ObjectNode) eventData).deepCopy();
        if (messageCut) {
            copy.put("message", cappedMessage);
        }
        if (cappedData != data) {
            copy.set("data", cappedData);
        }
        return copy;
    }

    /**
     * An upper bound of {@code n}'s JSON size in UTF-8 bytes (every character counted as its longest escape, 6 bytes), or
     * a value over {@code budget} as soon as the bound passes it.
     */
    private static long jsonBytesAtMost(JsonNode n, long budget) {
        if (n.isTextual()) {
            return 2 + 6L * n.asText().length();
        }
        if (!n.isContainerNode()) {
            return 32; // a number, boolean or null
        }
        long total = 2;
        for (var it = n.properties().iterator(); it.hasNext() && total <= budget; ) {
            var e = it.next();
            total += 4 + 6L * e.getKey().length() + jsonBytesAtMost(e.getValue(), budget - total);
        }
        if (n.isArray()) {
            for (int i = 0; i < n.size() && total <= budget; i++) {
                total += 1 + jsonBytesAtMost(n.get(i), budget - total);
            }
        }
        return total;
    }

    /** UTF-8 length without encoding. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The longest prefix length (in chars, never splitting a surrogate pair) whose UTF-8 fits {@code maxBytes}. */
    static int prefixFitting(String s, int maxBytes) {
        int n = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int width;
            int chars = 1;
            if (c < 0x80) {
                width = 1;
            } else if (c < 0x800) {
                width = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                width = 4;
                chars = 2;
            } else {
                width = 3;
            }
            if (n + width > maxBytes) {
                break;
            }
            n += width;
            i += chars;
        }
        return i;
    }
}
