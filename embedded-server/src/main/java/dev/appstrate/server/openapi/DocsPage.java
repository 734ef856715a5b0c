package dev.appstrate.server.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A self-contained HTML page (no scripts, no remote assets) listing the operations of the OpenAPI document. */
public final class DocsPage {
    private DocsPage() {
    }

    public static String render(JsonNode doc) {
        Map<String, List<String>> byTag = new TreeMap<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            JsonNode op = m.getValue();
            String tag = op.path("tags").path(0).asText("Other");
            StringBuilder row = new StringBuilder("<tr><td class=\"m ").append(m.getKey()).append("\">")
                    .append(m.getKey().toUpperCase()).append("</td><td><code>").append(esc(p.getKey())).append("</code></td><td>")
                    .append(esc(op.path("summary").asText(""))).append("</td><td>");
            if (op.has("x-appstrate-permission")) {
                row.append("<code>").append(esc(op.get("x-appstrate-permission").asText())).append("</code>");
            } else if (op.has("security") && op.get("security").isEmpty()) {
                row.append("public");
            }
            row.append("</td><td>");
            if (op.has("x-ratelimit")) {
                row.append(op.get("x-ratelimit").get("limit").asInt()).append("/min");
            }
            row.append("</td><td>").append(esc(String.join(", ", statuses(op)))).append("</td></tr>");
            byTag.computeIfAbsent(tag, k -> new ArrayList<>()).add(row.toString());
        }));
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(doc.path("info").path("title").asText())).append("</title><style>")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;width:100%;margin-bottom:1.5em}td,th{border-bottom:1px solid #ddd;")
                .append("padding:.35em .5em;text-align:left;vertical-align:top}th{background:#f5f5f5}")
                .append(".m{font-weight:600;font-family:monospace}.get{color:#0a7}.post{color:#06c}.put,.patch{color:#b70}")
                .append(".delete{color:#c22}code{font-size:13px}</style></head><body><h1>")
                .append(esc(doc.path("info").path("title").asText())).append("</h1><p>API version <code>")
                .append(esc(doc.path("info").path("version").asText())).append("</code>. Machine-readable: ")
                .append("<a href=\"/api/openapi.json\">/api/openapi.json</a> (OpenAPI 3.1).</p><p>")
                .append(esc(doc.path("info").path("description").asText())).append("</p>");
        byTag.forEach((tag, rows) -> {
            html.append("<h2>").append(esc(tag)).append("</h2><table><tr><th>Method</th><th>Path</th><th>Summary</th>")
                    .append("<th>Permission</th><th>Rate limit</th><th>Responses</th></tr>");
            rows.forEach(html::append);
            html.append("</table>");
        });
        return html.append("</body></html>").toString();
    }

    private static List<String> statuses(JsonNode op) {
        List<String> out = new ArrayList<>();
        op.path("responses").fieldNames().forEachRemaining(out::add);
        return out;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
