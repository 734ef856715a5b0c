package dev.appstrate.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.packages.AgentCatalog;
import dev.appstrate.server.packages.AgentPackage;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.PackageZips;
import dev.appstrate.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Importing .afps packages: the happy path, versions, installs, and every hostile package refused with nothing stored. */
class PackageImportTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        // a body limit above the package cap, so the package's own 10 MB check is what answers
        server = TestServer.start(dir, Map.of("API_BODY_LIMIT_BYTES", String.valueOf(20 * 1024 * 1024)));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static HttpResponse<String> upload(byte[] zip, String... headers) {
        Object[] mp = PackageZips.multipart("file", "pkg.afps", zip);
        Map<String, String> h = new HashMap<>();
        h.put("Authorization", "Bearer " + server.ownerToken());
        h.put("X-App-Id", server.defaultAppId());
        h.put("Content-Type", (String) mp[0]);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        h.values().removeIf(v -> v == null);
        return server.raw("POST", "/api/packages/import", (byte[]) mp[1], h);
    }

    static long packageRows() {
        return server.server().database().read(c -> Rows.count(c, "SELECT (SELECT COUNT(*) FROM packages) + "
                + "(SELECT COUNT(*) FROM package_versions) + (SELECT COUNT(*) FROM application_packages)"));
    }

    static List<Path> storedFiles() throws IOException {
        Path root = server.dataDir().resolve("storage").resolve("packages");
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void importListGetVersionsForceAndDelete() throws IOException {
        HttpResponse<String> r = upload(PackageZips.agent("@acme/zipped", "1.0.0", "# Zipped\nSay hi."));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode b = TestServer.json(r);
        assertEquals("@acme/zipped", b.get("packageId").asText());
        assertEquals("agent", b.get("type").asText());
        assertEquals("1.0.0", b.get("version").asText());
        assertTrue(r.headers().firstValue("RateLimit").orElse("").startsWith("limit=10, remaining="));
        assertEquals("10;w=60", r.headers().firstValue("RateLimit-Policy").orElse(""));

        JsonNode list = TestServer.json(server.get("/api/agents"));
        assertEquals("list", list.get("object").asText());
        assertTrue(list.get("data").findValuesAsText("id").contains("@acme/zipped"));

        for (String path : List.of("/api/agents/@acme/zipped", "/api/agents/%40acme/zipped", "/api/packages/agents/@acme/zipped")) {
            HttpResponse<String> d = server.get(path);
            assertEquals(200, d.statusCode(), path + " " + d.body());
            JsonNode detail = TestServer.json(d);
            assertEquals("# Zipped\nSay hi.", detail.get("prompt").asText());
            assertEquals("@acme", detail.get("scope").asText());
            assertEquals(300, detail.get("effective_timeout_seconds").asInt());
        }

        // same version, same bytes: idempotent
        assertEquals(201, upload(PackageZips.agent("@acme/zipped", "1.0.0", "# Zipped\nSay hi.")).statusCode());
        // same version, other content: refused unless forced
        HttpResponse<String> clash = upload(PackageZips.agent("@acme/zipped", "1.0.0", "changed"));
        assertEquals(409, clash.statusCode(), clash.body());
        assertEquals("integrity_mismatch", TestServer.json(clash).get("code").asText());
        assertEquals(201, uploadForced(PackageZips.agent("@acme/zipped", "1.0.0", "changed")).statusCode());
        assertEquals(201, upload(PackageZips.agent("@acme/zipped", "1.1.0", "v2 prompt")).statusCode());

        JsonNode versions = TestServer.json(server.get("/api/packages/agents/@acme/zipped/versions")).get("versions");
        assertEquals(2, versions.size());
        assertEquals("1.1.0", versions.get(0).get("version").asText());
        assertTrue(versions.get(0).get("integrity").asText().startsWith("sha256-"));
        JsonNode v1 = TestServer.json(server.get("/api/packages/agents/@acme/zipped/versions/1.0.0"));
        assertEquals("changed", v1.get("content").asText());

        AgentPackage current = server.server().components().packages().find(server.defaultAppId(), "@acme/zipped")
                .orElseThrow();
        assertEquals("1.1.0", current.version());
        assertEquals("v2 prompt", current.prompt());

        HttpResponse<String> dl = server.get("/api/packages/@acme/zipped/1.1.0/download");
        assertEquals(200, dl.statusCode());
        assertEquals(2, storedFiles().stream().filter(p -> p.toString().contains("zipped")).count());

        assertEquals(204, server.delete("/api/packages/agents/@acme/zipped").statusCode());
        assertEquals(404, server.get("/api/agents/@acme/zipped").statusCode());
        assertEquals("agent_not_found", TestServer.json(server.get("/api/agents/@acme/zipped")).get("code").asText());
        assertTrue(server.server().components().packages().find(server.defaultAppId(), "@acme/zipped").isEmpty());
        assertTrue(storedFiles().stream().noneMatch(p -> p.toString().contains("zipped")));
    }

    static HttpResponse<String> uploadForced(byte[] zip) {
        Object[] mp = PackageZips.multipart("file", "pkg.afps", zip);
        return server.raw("POST", "/api/packages/import?force=true", (byte[]) mp[1], Map.of("Authorization",
                "Bearer " + server.ownerToken(), "X-App-Id", server.defaultAppId(), "Content-Type", (String) mp[0]));
    }

    @Test
    void skillWithFrontmatterImports() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("my-skill/manifest.json", ("{\"name\":\"@acme/summarize\",\"version\":\"1.0.0\",\"type\":\"skill\","
                + "\"schema_version\":\"0.1\"}").getBytes(StandardCharsets.UTF_8));
        files.put("my-skill/SKILL.md", "---\nname: summarize\ndescription: Summaries\n---\n# Summarize\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = upload(PackageZips.zip(files));
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("skill", TestServer.json(r).get("type").asText());
        JsonNode skills = TestServer.json(server.get("/api/packages/skills"));
        assertTrue(skills.get("data").findValuesAsText("id").contains("@acme/summarize"));
        assertFalse(TestServer.json(server.get("/api/agents")).get("data").findValuesAsText("id").contains("@acme/summarize"));
    }

    @Test
    void aBundleThatCannotBeStoredLeavesNoVersionBehind() throws IOException {
        long rowsBefore = packageRows();
        // a file where the package's folder must go: the bundle write fails after the rows were written
        Path blocker = server.dataDir().resolve("storage").resolve("packages").resolve("@blocked");
        Files.createDirectories(blocker.getParent());
        Files.write(blocker, new byte[0]);
        try {
            HttpResponse<String> r = upload(PackageZips.agent("@blocked/unstored", "1.0.0", "# Unstored\nSay hi."));
            assertTrue(r.statusCode() >= 500, r.statusCode() + " " + r.body());
            assertEquals(rowsBefore, packageRows(), "no package, version or install row without its bundle");
            assertEquals(404, server.get("/api/packages/agents/@blocked/unstored").statusCode());
        } finally {
            Files.delete(blocker);
        }
    }

    @Test
    void hostilePackagesAreRefusedAndChangeNothing() throws IOException {
        long rowsBefore = packageRows();
        List<Path> filesBefore = storedFiles();
        Random random = new Random(42);

        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("zip_invalid", "this is not a zip file at all".getBytes(StandardCharsets.UTF_8));
        byte[] whole = PackageZips.zip(Map.of("manifest.json", PackageZips.manifest("@evil/cut", "1.0.0").getBytes(StandardCharsets.UTF_8),
                "prompt.md", "hi".getBytes(StandardCharsets.UTF_8)));
        cases.put("zip_invalid/truncated", java.util.Arrays.copyOf(whole, whole.length / 2));
        cases.put("missing_manifest", PackageZips.zip(Map.of("prompt.md", "hi".getBytes(StandardCharsets.UTF_8))));
        cases.put("invalid_manifest", PackageZips.zip(Map.of("manifest.json", "{not json".getBytes(StandardCharsets.UTF_8),
                "prompt.md", "hi".getBytes(StandardCharsets.UTF_8))));
        cases.put("missing_content", PackageZips.zip(Map.of("manifest.json",
                PackageZips.manifest("@evil/noprompt", "1.0.0").getBytes(StandardCharsets.UTF_8))));
        cases.put("unsafe_entry", withExtra("../../outside.txt", "x"));
        cases.put("unsafe_entry/absolute", withExtra("/etc/appstrate-evil", "x"));
        cases.put("unsafe_entry/backslash", withExtra("..\\..\\evil.txt", "x"));
        cases.put("unsafe_entry/symlink", PackageZips.withSymlink("link-to-etc", "/etc/passwd"));
        cases.put("unsafe_entry/local-header-name", localNameDiffers("../../../../x"));
        String bigDescription = "x".repeat(300 * 1024);
        cases.put("manifest_too_large", PackageZips.zip(Map.of("manifest.json", ("{\"name\":\"@evil/big\",\"version\":\"1.0.0\","
                + "\"type\":\"agent\",\"schema_version\":\"0.1\",\"display_name\":\"Big\",\"description\":\"" + bigDescription
                + "\"}").getBytes(StandardCharsets.UTF_8), "prompt.md", "hi".getBytes(StandardCharsets.UTF_8))));
        // 20 MB of zeros deflate to ~20 KB: a ratio of ~1000
        cases.put("zip_bomb", withExtra("bomb.bin", new byte[20 * 1024 * 1024]));
        // 11 MB of incompressible bytes, stored: over the compressed cap
        byte[] noise = new byte[11 * 1024 * 1024];
        random.nextBytes(noise);
        cases.put("file_too_large", withExtra("noise.bin", noise));
        // 60 MB that compresses about 50 times: under the compressed cap and the ratio, over the decompressed cap
        cases.put("file_too_large/decompressed", withExtra("big.txt", sparse(60 * 1024 * 1024, random)));

        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            // the import route allows 10 a minute per caller: each case is its own API key
            HttpResponse<String> r = upload(c.getValue(), "Authorization", "Bearer " + newApiKey(), "X-App-Id", null);
            String expected = c.getKey().contains("/") ? c.getKey().substring(0, c.getKey().indexOf('/')) : c.getKey();
            assertEquals(400, r.statusCode(), c.getKey() + ": " + r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
            assertEquals(expected, TestServer.json(r).get("code").asText(), c.getKey() + ": " + r.body());
            if (c.getKey().equals("zip_invalid/truncated")) {
                assertEquals("The file is not a readable ZIP archive: it is cut short or damaged", TestServer.json(r).get("detail").asText(),
                        "said in the user's terms, not the ZIP library's");
            }
            assertEquals(rowsBefore, packageRows(), c.getKey() + " changed the database");
            assertEquals(filesBefore, storedFiles(), c.getKey() + " left files in storage");
        }
        assertFalse(Files.exists(dir.getParent().resolve("outside.txt")));
        assertFalse(Files.exists(Path.of("/etc/appstrate-evil")));
    }

    static String newApiKey() {
        HttpResponse<String> r = server.post("/api/api-keys", "{\"name\":\"import\",\"scopes\":[\"agents:write\",\"agents:read\"]}");
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r).get("key").asText();
    }

    static byte[] withExtra(String name, String content) {
        return withExtra(name, content.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] withExtra(String name, byte[] content) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("manifest.json", PackageZips.manifest("@evil/pkg", "1.0.0").getBytes(StandardCharsets.UTF_8));
        files.put("prompt.md", "hi".getBytes(StandardCharsets.UTF_8));
        files.put(name, content);
        return PackageZips.zip(files);
    }

    /** A ZIP whose central directory says "safe-name.txt"-like but whose local header names {@code hostile}. */
    static byte[] localNameDiffers(String hostile) {
        String innocent = "a".repeat(hostile.length());
        byte[] zip = withExtra(innocent, "x");
        byte[] find = innocent.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + find.length <= zip.length; i++) {
            if (java.util.Arrays.equals(zip, i, i + find.length, find, 0, find.length)) {
                System.arraycopy(hostile.getBytes(StandardCharsets.US_ASCII), 0, zip, i, find.length);
                return zip; // the first occurrence is the local header; the central directory keeps the innocent name
            }
        }
        throw new AssertionError("name not found in the archive");
    }

    static byte[] sparse(int size, Random random) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i += 1024) {
            for (int j = 0; j < 24 && i + j < size; j++) {
                b[i + j] = (byte) ('a' + random.nextInt(26));
            }
        }
        return b;
    }

    @Test
    void jsonCreateValidatesAndRefusesDuplicates() {
        String body = "{\"manifest\":" + PackageZips.manifest("@acme/echo", "1.0.0") + ",\"content\":\"# Echo\\n\"}";
        HttpResponse<String> r = server.post("/api/packages/agents", body);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode d = TestServer.json(r);
        assertEquals(1, d.get("version_count").asInt());
        assertEquals("https://schemas.afps.dev/v0/agent.schema.json", d.get("manifest").get("$schema").asText());

        HttpResponse<String> again = server.post("/api/packages/agents", body);
        assertEquals(400, again.statusCode());
        assertEquals("name_collision", TestServer.json(again).get("code").asText());

        HttpResponse<String> bad = server.post("/api/packages/agents", "{\"manifest\":{\"name\":\"@acme/bad\",\"type\":\"agent\","
                + "\"version\":\"1.0.0\",\"schema_version\":\"2.x\"},\"content\":\"x\"}");
        assertEquals(400, bad.statusCode());
        JsonNode p = TestServer.json(bad);
        assertEquals("validation_failed", p.get("code").asText());
        assertEquals(List.of("manifest.schema_version", "manifest.display_name"),
                List.of(p.get("errors").get(0).get("field").asText(), p.get("errors").get(1).get("field").asText()));

        HttpResponse<String> badSchema = server.post("/api/packages/agents", "{\"manifest\":{\"name\":\"@acme/schemed\","
                + "\"type\":\"agent\",\"version\":\"1.0.0\",\"schema_version\":\"0.1\",\"display_name\":\"S\","
                + "\"input\":{\"schema\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"strng\"}}}}},\"content\":\"x\"}");
        assertEquals(400, badSchema.statusCode(), badSchema.body());
        JsonNode e = TestServer.json(badSchema).get("errors").get(0);
        assertTrue(e.get("field").asText().startsWith("manifest.input.schema"), e.toString());

        HttpResponse<String> outputNoTool = server.post("/api/packages/agents", "{\"manifest\":{\"name\":\"@acme/out\","
                + "\"type\":\"agent\",\"version\":\"1.0.0\",\"schema_version\":\"0.1\",\"display_name\":\"S\","
                + "\"output\":{\"schema\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"string\"}}}}},\"content\":\"x\"}");
        assertEquals(400, outputNoTool.statusCode());
        assertEquals("manifest.runtime_tools", TestServer.json(outputNoTool).get("errors").get(0).get("field").asText());

        HttpResponse<String> unknown = server.post("/api/packages/agents", "{\"manifest\":{},\"content\":\"x\",\"extra\":1}");
        assertEquals(400, unknown.statusCode());
        assertEquals("unknown_field", TestServer.json(unknown).get("errors").get(0).get("code").asText());
    }

    @Test
    void importedAgentsAreVisibleOnlyWhereInstalled() {
        assertEquals(201, upload(PackageZips.agent("@acme/shared", "1.0.0", "shared")).statusCode());
        JsonNode app = TestServer.json(server.post("/api/applications", "{\"name\":\"Second\"}"));
        String second = app.get("id").asText();
        assertEquals(404, server.send("GET", "/api/agents/@acme/shared", null, "X-App-Id", second).statusCode());
        HttpResponse<String> inst = server.post("/api/applications/" + second + "/packages", "{\"packageId\":\"@acme/shared\"}");
        assertEquals(201, inst.statusCode(), inst.body());
        assertEquals("application_package", TestServer.json(inst).get("object").asText());
        assertEquals(409, server.post("/api/applications/" + second + "/packages", "{\"packageId\":\"@acme/shared\"}").statusCode());
        assertEquals(200, server.send("GET", "/api/agents/@acme/shared", null, "X-App-Id", second).statusCode());
        assertTrue(TestServer.json(server.send("GET", "/api/agents", null, "X-App-Id", second)).get("data")
                .findValuesAsText("id").contains("@acme/shared"));
        assertEquals(204, server.delete("/api/applications/" + second + "/packages/@acme/shared").statusCode());
        assertEquals(404, server.send("GET", "/api/agents/@acme/shared", null, "X-App-Id", second).statusCode());
        assertEquals(200, server.get("/api/agents/@acme/shared").statusCode());
        assertNotNull(server.server().components().packages().find(server.defaultAppId(), "@acme/shared").orElse(null));
    }
}
