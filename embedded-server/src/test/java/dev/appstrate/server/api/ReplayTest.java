package dev.appstrate.server.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.testing.PackageZips;
import dev.appstrate.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the original's recorded requests (appstrate-live-transcript.md) that target operations this server
 * serves, in order, against a real server with ids remapped, and compares status, the headers Request-Id,
 * Appstrate-Version, RateLimit, RateLimit-Policy and Content-Type, and the body's shape (keys and JSON types).
 * A difference fails unless listed in {@link #DELIBERATE} with its reason.
 */
class ReplayTest {
    /** "METHOD path#n what" → why we answer differently on purpose. */
    static final Map<String, String> DELIBERATE = Map.ofEntries(
            Map.entry("GET /api/agents#3 status", "X-App-Id is accepted as the application header (troubleshooting guide, issue 3); "
                    + "the original ignores it and answers 400"),
            Map.entry("GET /api/agents#3 Appstrate-Version", "same request: ours is answered, so it carries the version"),
            Map.entry("GET /api/agents#3 RateLimit", "same request: ours is answered (the original refused it before its limiter)"),
            Map.entry("GET /api/agents#3 body", "same request: ours is the agent list, not a problem"),
            Map.entry("GET /api/agents#3 Content-Type", "same request: ours is the agent list (application/json), not a problem"));

    record Recorded(String method, String path, Map<String, String> headers, String body, int status,
                    Map<String, String> responseHeaders, String responseBody) {
    }

    @TempDir
    Path dir;

    @Test
    void theOriginalsRecordedRequestsGetTheSameAnswers() throws IOException {
        List<Recorded> all = parse(Files.readString(transcript()));
        TestServer server = TestServer.start(dir);
        Map<String, String> ids = new LinkedHashMap<>();
        List<String> differences = new ArrayList<>();
        List<String> deliberate = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        int replayed = 0;
        try {
            String org = TestServer.json(server.get("/api/applications")).get("data").get(0).get("orgId").asText();
            ids.put("3acf0f07-6c85-44c9-a619-0ffb188d8e91", org);
            ids.put("app_5504bc00-f54d-42a0-9d98-262e87b336b5", server.defaultAppId());
            // the original provisions this agent with every organization; here it is imported
            server.post("/api/packages/agents", "{\"manifest\":{\"name\":\"@bench-org/hello-world\",\"version\":\"1.0.0\",\"type\":\"agent\","
                    + "\"schema_version\":\"0.1\",\"display_name\":\"Hello World\",\"author\":\"Appstrate\",\"dependencies\":{},"
                    + "\"description\":\"A demo agent\",\"keywords\":[\"demo\"]},"
                    + "\"content\":\"Say hello.\"}");
            for (Recorded rec : all) {
                String path = substitute(rec.path(), ids);
                String routePath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
                var match = server.server().router().match(rec.method(), routePath);
                if (match == null) {
                    continue; // not an operation this server serves (auth, orgs, profile, …)
                }
                String op = rec.method() + " " + match.route().pattern();
                int n = seen.merge(op, 1, Integer::sum);
                String label = op + "#" + n;
                Map<String, String> headers = new LinkedHashMap<>();
                rec.headers().forEach((k, v) -> {
                    if (k.equalsIgnoreCase("Cookie") || (k.equalsIgnoreCase("Authorization") && v.contains("$SESSION"))) {
                        headers.put("Authorization", "Bearer " + server.ownerToken());
                    } else if (k.equalsIgnoreCase("Authorization") && v.contains("$API_KEY")) {
                        headers.put("Authorization", "Bearer " + ids.getOrDefault("$API_KEY", "missing"));
                    } else if (!k.equalsIgnoreCase("Origin")) {
                        headers.put(k, substitute(v, ids));
                    }
                });
                byte[] body = rec.body() == null ? null : substitute(rec.body(), ids).getBytes(StandardCharsets.UTF_8);
                if (rec.body() != null && rec.body().startsWith("@multipart")) {
                    Object[] mp = PackageZips.multipart("file", "echo.afps", PackageZips.agent("@bench-org/zipped", "1.0.0", "# Zipped"));
                    headers.put("Content-Type", (String) mp[0]);
                    body = (byte[]) mp[1];
                }
                if (op.equals("GET /api/runs/{id}")) {
                    server.get(path + "?wait=55"); // the recording was made after the run had failed
                }
                HttpResponse<String> ours = server.raw(rec.method(), path, body, headers);
                replayed++;
                JsonNode recBody = parseJson(rec.responseBody());
                JsonNode ourBody = parseJson(ours.body());
                if (recBody != null && ourBody != null) {
                    learnIds(recBody, ourBody, ids);
                }
                String recEtag = rec.responseHeaders().get("etag");
                if (recEtag != null && ours.headers().firstValue("ETag").isPresent()) {
                    ids.putIfAbsent(recEtag, ours.headers().firstValue("ETag").get()); // our document has its own validator
                }
                if (op.equals("POST /api/api-keys") && ourBody != null && ourBody.has("key")) {
                    ids.put("$API_KEY", ourBody.get("key").asText());
                }
                List<String[]> diffs = new ArrayList<>();
                if (rec.status() != ours.statusCode()) {
                    diffs.add(new String[] {"status", rec.status() + " recorded, " + ours.statusCode() + " here: " + abbreviate(ours.body())});
                }
                for (String h : List.of("Request-Id", "Appstrate-Version", "RateLimit", "RateLimit-Policy")) {
                    boolean had = rec.responseHeaders().containsKey(h.toLowerCase(Locale.ROOT));
                    boolean has = ours.headers().firstValue(h).isPresent();
                    if (had != has) {
                        diffs.add(new String[] {h, (had ? "sent" : "not sent") + " by the original, " + (has ? "sent" : "not sent") + " here"});
                    } else if (had && h.startsWith("RateLimit")) {
                        String a = rec.responseHeaders().get(h.toLowerCase(Locale.ROOT)).replaceAll("remaining=\\d+, reset=\\d+", "");
                        String b = ours.headers().firstValue(h).orElse("").replaceAll("remaining=\\d+, reset=\\d+", "");
                        if (!a.equals(b)) {
                            diffs.add(new String[] {h, rec.responseHeaders().get(h.toLowerCase(Locale.ROOT)) + " recorded, "
                                    + ours.headers().firstValue(h).orElse("") + " here"});
                        }
                    }
                }
                String recType = mediaType(rec.responseHeaders().get("content-type"));
                String ourType = mediaType(ours.headers().firstValue("Content-Type").orElse(null));
                if (!recType.equals(ourType)) {
                    diffs.add(new String[] {"Content-Type", recType + " recorded, " + ourType + " here"});
                }
                if (recBody != null && rec.status() == ours.statusCode()) {
                    List<String> shape = new ArrayList<>();
                    compareShape("$", recBody, ourBody, shape);
                    if (!shape.isEmpty()) {
                        diffs.add(new String[] {"body", String.join("; ", shape)});
                    }
                }
                for (String[] d : diffs) {
                    String key = label + " " + d[0];
                    (DELIBERATE.containsKey(key) ? deliberate : differences).add(key + ": " + d[1]);
                }
            }
        } finally {
            server.stop();
        }
        Path out = Path.of("target", "replay.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "replayed " + replayed + " of " + all.size() + " recorded requests; " + differences.size()
                + " differences, " + deliberate.size() + " deliberate\n\n" + String.join("\n", differences) + "\n\n"
                + String.join("\n", deliberate) + "\n");
        System.out.println("replay: " + replayed + " replayed, " + differences.size() + " differences, " + deliberate.size() + " deliberate");
        assertTrue(replayed >= 30, "only " + replayed + " recorded requests matched served operations");
        assertTrue(differences.isEmpty(), "answers that differ from the recording:\n" + String.join("\n", differences));
    }

    /** Keys and JSON types: every recorded key is here with the same type (null matches any); arrays by their first item. */
    static void compareShape(String at, JsonNode rec, JsonNode ours, List<String> out) {
        if (ours == null) {
            out.add(at + " missing");
            return;
        }
        if (rec.isNull() || ours.isNull()) {
            return;
        }
        if (rec.getNodeType() != ours.getNodeType() && !(rec.isNumber() && ours.isNumber())) {
            out.add(at + " is " + ours.getNodeType() + ", recorded " + rec.getNodeType());
            return;
        }
        if (rec.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = rec.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                compareShape(at + "." + e.getKey(), e.getValue(), ours.get(e.getKey()), out);
            }
        } else if (rec.isArray() && rec.size() > 0 && ours.size() > 0) {
            compareShape(at + "[0]", rec.get(0), ours.get(0), out);
        }
    }

    /** Recorded id → ours, learned from the same positions of both bodies. */
    static void learnIds(JsonNode rec, JsonNode ours, Map<String, String> ids) {
        if (rec.isObject() && ours.isObject()) {
            rec.fields().forEachRemaining(e -> {
                JsonNode o = ours.get(e.getKey());
                if (o == null) {
                    return;
                }
                if (e.getKey().equals("id") && e.getValue().isTextual() && o.isTextual() && !e.getValue().asText().equals(o.asText())) {
                    ids.putIfAbsent(e.getValue().asText(), o.asText());
                } else {
                    learnIds(e.getValue(), o, ids);
                }
            });
        } else if (rec.isArray() && ours.isArray()) {
            for (int i = 0; i < Math.min(rec.size(), ours.size()); i++) {
                learnIds(rec.get(i), ours.get(i), ids);
            }
        }
    }

    static String substitute(String s, Map<String, String> ids) {
        for (Map.Entry<String, String> e : ids.entrySet()) {
            if (!e.getKey().startsWith("$")) {
                s = s.replace(e.getKey(), e.getValue());
            }
        }
        return s;
    }

    private static String mediaType(String v) {
        return v == null ? "-" : v.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    private static JsonNode parseJson(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(s);
        } catch (IOException e) {
            return null; // trimmed in the recording, or not JSON
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    /** Each ```bash curl …``` block with the ```http answer that follows it; requests to the starting server (port 3999) are left out. */
    static List<Recorded> parse(String md) {
        List<Recorded> out = new ArrayList<>();
        String[] lines = md.split("\n");
        for (int i = 0; i < lines.length; i++) {
            java.util.regex.Matcher again = java.util.regex.Pattern.compile("^req \\d+: HTTP/1.1 (\\d+)[^|]*(.*)$").matcher(lines[i]);
            if (again.matches() && !out.isEmpty()) {
                // "same call" repeated: only the status line and rate-limit headers were recorded
                Recorded prev = out.get(out.size() - 1);
                Map<String, String> rh = new LinkedHashMap<>();
                for (String part : again.group(2).split("\\|")) {
                    if (part.contains(":")) {
                        rh.put(part.substring(0, part.indexOf(':')).trim().toLowerCase(Locale.ROOT), part.substring(part.indexOf(':') + 1).trim());
                    }
                }
                rh.put("request-id", "recorded");
                rh.putAll(Map.of("content-type", prev.responseHeaders().getOrDefault("content-type", "-")));
                if (prev.responseHeaders().containsKey("appstrate-version")) {
                    rh.put("appstrate-version", prev.responseHeaders().get("appstrate-version"));
                }
                out.add(new Recorded(prev.method(), prev.path(), prev.headers(), prev.body(), Integer.parseInt(again.group(1)), rh, ""));
                continue;
            }
            if (!lines[i].startsWith("curl ") || lines[i].contains(":3999")) {
                continue;
            }
            List<String> words = shellWords(lines[i]);
            String method = "GET";
            String url = null;
            String body = null;
            Map<String, String> headers = new LinkedHashMap<>();
            for (int w = 1; w < words.size(); w++) {
                String word = words.get(w);
                switch (word) {
                    case "-X" -> method = words.get(++w);
                    case "-H" -> {
                        String h = words.get(++w);
                        headers.put(h.substring(0, h.indexOf(':')).trim(), h.substring(h.indexOf(':') + 1).trim());
                    }
                    case "-d" -> body = words.get(++w);
                    case "-F" -> {
                        w++;
                        body = "@multipart";
                    }
                    case "-o" -> w++;
                    default -> {
                        if (word.startsWith("http")) {
                            url = word;
                        }
                    }
                }
            }
            int j = i + 1;
            while (j < lines.length && !lines[j].startsWith("```http")) {
                j++;
            }
            if (j >= lines.length || url == null) {
                continue;
            }
            int status = Integer.parseInt(lines[++j].split(" ")[1]);
            Map<String, String> rh = new LinkedHashMap<>();
            for (j++; j < lines.length && !lines[j].isBlank() && !lines[j].startsWith("```"); j++) {
                rh.put(lines[j].substring(0, lines[j].indexOf(':')).toLowerCase(Locale.ROOT), lines[j].substring(lines[j].indexOf(':') + 1).trim());
            }
            StringBuilder rb = new StringBuilder();
            for (; j < lines.length && !lines[j].startsWith("```"); j++) {
                rb.append(lines[j]).append('\n');
            }
            String path = url.replaceFirst("^https?://[^/]+", "");
            out.add(new Recorded(method, path, headers, body, status, rh, rb.toString().trim()));
            i = j;
        }
        return out;
    }

    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean single = false;
        boolean inWord = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                single = !single;
                inWord = true;
            } else if (c == ' ' && !single) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    private static Path transcript() {
        for (String p : List.of("../shared/reference/appstrate-live-transcript.md", "../../shared/reference/appstrate-live-transcript.md",
                "/work/shared/reference/appstrate-live-transcript.md")) {
            if (Files.exists(Path.of(p))) {
                return Path.of(p);
            }
        }
        throw new IllegalStateException("appstrate-live-transcript.md not found in ../shared/reference");
    }
}
