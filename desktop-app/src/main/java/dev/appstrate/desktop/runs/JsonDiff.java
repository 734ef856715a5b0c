package dev.appstrate.desktop.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A structural diff of two JSON values: each change with its JSON Pointer ({@code /greeting}, {@code /items/2}). */
public final class JsonDiff {
    public enum Kind { ADDED, REMOVED, CHANGED }

    /** One difference; {@code left}/{@code right} are missing nodes for an added/removed value. */
    public record Change(String path, Kind kind, JsonNode left, JsonNode right) {
        /** {@code ~ /greeting: "Hello Ada" → "Hi Ada"}, {@code + /extra: 1}, {@code - /old: true}. */
        public String describe() {
            String where = path.isEmpty() ? "(whole value)" : path;
            return switch (kind) {
                case ADDED -> "+ " + where + ": " + shown(right);
                case REMOVED -> "- " + where + ": " + shown(left);
                case CHANGED -> "~ " + where + ": " + shown(left) + " → " + shown(right);
            };
        }
    }

    private JsonDiff() {
    }

    public static List<Change> diff(JsonNode left, JsonNode right) {
        List<Change> out = new ArrayList<>();
        walk("", norm(left), norm(right), out);
        return out;
    }

    private static JsonNode norm(JsonNode n) {
        return n == null || n.isNull() ? MissingNode.getInstance() : n;
    }

    private static void walk(String path, JsonNode a, JsonNode b, List<Change> out) {
        if (a.isMissingNode() && b.isMissingNode()) {
            return;
        }
        if (a.isMissingNode()) {
            out.add(new Change(path, Kind.ADDED, a, b));
        } else if (b.isMissingNode()) {
            out.add(new Change(path, Kind.REMOVED, a, b));
        } else if (a.isObject() && b.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                walk(path + "/" + escape(n), norm(a.get(n)), norm(b.get(n)), out);
            }
        } else if (a.isArray() && b.isArray()) {
            int max = Math.max(a.size(), b.size());
            for (int i = 0; i < max; i++) {
                walk(path + "/" + i, norm(a.get(i)), norm(b.get(i)), out);
            }
        } else if (!sameValue(a, b)) {
            out.add(new Change(path, Kind.CHANGED, a, b));
        }
    }

    /** Numbers compare by value (1 and 1.0 are the same answer). */
    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    static String shown(JsonNode n) {
        String s = n.isMissingNode() ? "(none)" : n.toString();
        return s.length() > 200 ? s.substring(0, 199) + "…" : s;
    }

    /** Whether two values are equal as JSON (numbers by value). */
    public static boolean same(JsonNode a, JsonNode b) {
        return diff(a, b).isEmpty();
    }
}
