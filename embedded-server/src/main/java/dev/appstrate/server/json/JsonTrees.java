package dev.appstrate.server.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Small JSON trees built and written without {@link Json#MAPPER}: /health answers from the first accepted
 * connection and the first boot writes the default application, and building the mapper (≈450 classes) there
 * would compete with the boot; it is built once /health answers 200. Hand-written, not Jackson's streaming
 * {@code JsonGenerator}: that loaded 59 more jackson-core classes on the first /health probe (measured, session 6).
 */
public final class JsonTrees {
    private JsonTrees() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The tree as compact UTF-8 JSON, as {@link Json#bytes} writes it. */
    public static byte[] bytes(JsonNode node) {
        return string(node).getBytes(StandardCharsets.UTF_8);
    }

    /** The tree as compact JSON text, as {@link Json#string} writes it. */
    public static String string(JsonNode node) {
        StringBuilder b = new StringBuilder(256);
        write(b, node);
        return b.toString();
    }

    private static void write(StringBuilder b, JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            b.append("null");
        } else if (n.isObject()) {
            b.append('{');
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                quoted(b, e.getKey());
                b.append(':');
                write(b, e.getValue());
                if (it.hasNext()) {
                    b.append(',');
                }
            }
            b.append('}');
        } else if (n.isArray()) {
            b.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                write(b, n.get(i));
            }
            b.append(']');
        } else if (n.isTextual()) {
            quoted(b, n.textValue());
        } else if (n.isNumber() || n.isBoolean()) {
            b.append(n.asText());
        } else {
            quoted(b, n.asText());
        }
    }

    private static void quoted(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
