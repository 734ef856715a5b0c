package dev.appstrate.server.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.egress.EgressGuard;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.testing.RunFixtures;
import dev.appstrate.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original's runtime against this server: a process started through RUNNER_COMMAND that has only the
 * runner's environment fetches the signed workspace bundle, finds no documents, calls the model's /responses
 * through the per-run route, posts signed events out of order and a heartbeat, and completes the run.
 */
class OriginalRuntimeProtocolTest {
    @TempDir
    Path dir;

    @Test
    void aRuntimeStartedWithRunnerCommandCompletesARun() throws Exception {
        Path script = Path.of(getClass().getResource("/runtime/SinkProtocolRuntime.java").toURI());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (ScriptedModelServer model = ScriptedModelServer.builder()
                .turn(ScriptedModelServer.Turn.text("pong from the responses API").withUsage(5, 2)).start();
             TestServer s = TestServer.start(dir.resolve("data"), Map.of("RUNNER_COMMAND", "\"" + java + "\" \"" + script + "\""))) {
            RunFixtures.addModel(s, "openai-compatible", model.baseUrl());
            RunFixtures.addAgent(s, "orig", 120);
            String runId = RunFixtures.startRun(s, "orig", "{\"input\":{}}").get("id").asText();
            JsonNode run = RunFixtures.awaitTerminal(s, runId);
            assertEquals("success", run.get("status").asText(), run.toString());
            assertEquals(42, run.path("result").path("output").path("answer").asInt());

            Path runDir = dir.resolve("data").resolve("runs").resolve(runId);
            Path ws = runDir.resolve("workspace");
            Map<String, String> report = report(Files.readString(ws.resolve("report.txt")));
            assertEquals("401", report.get("unsigned"), "an unsigned workspace fetch is refused");
            assertEquals("401", report.get("wrong"), "a wrong signature is refused");
            assertEquals("401", report.get("stale"), "a stale timestamp is refused");
            assertEquals("200", report.get("signed"));
            assertEquals("404", report.get("documents"), "a run without documents answers 404");
            assertEquals("200", report.get("model"));
            assertEquals("200", report.get("event2"));
            assertEquals("200", report.get("event1"));
            assertEquals("200", report.get("heartbeat"));

            checkBundle(Files.readAllBytes(ws.resolve("agent-package.afps")));

            // the model call: the real key swapped in upstream, the provider's stream handed back byte for byte
            ScriptedModelServer.RecordedRequest upstream = model.requests().get(model.requests().size() - 1);
            assertTrue(upstream.path().endsWith("/v1/responses"), upstream.path());
            assertEquals("Bearer " + RunFixtures.REAL_MODEL_KEY, upstream.header("authorization"));
            assertEquals(model.responsesStreams().get(0), Files.readString(ws.resolve("responses.txt")));
            assertTrue(!Files.readString(ws.resolve("responses.txt")).isEmpty());

            // events persisted in sequence order although the second came first
            List<String> messages = new ArrayList<>();
            TestServer.json(s.get("/api/runs/" + runId + "/logs")).get("data").forEach(l -> messages.add(l.path("message").asText()));
            assertTrue(messages.indexOf("first") >= 0 && messages.indexOf("first") < messages.indexOf("second"), messages.toString());

            // after the run, the workspace is gone: 410
            long pid = Long.parseLong(Files.readString(runDir.resolve("runner.pid")).trim().split(" ")[0]);
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(60, TimeUnit.SECONDS).join());
            assertEquals("410", report(Files.readString(ws.resolve("after.txt"))).get("after"));
        }
    }

    /** The original's documented bundle: bundle.json index, packages/@scope/name/version/, RECORD and integrities. */
    private static void checkBundle(byte[] zip) throws Exception {
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                assertEquals(ZipEntry.STORED, e.getMethod(), e.getName() + " is stored, not deflated");
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        JsonNode index = Json.MAPPER.readTree(entries.get("bundle.json"));
        assertEquals("1.0", index.get("bundleFormatVersion").asText());
        assertEquals("@local/orig@1.0.0", index.get("root").asText());
        JsonNode pkg = index.get("packages").get("@local/orig@1.0.0");
        String dir = pkg.get("path").asText();
        assertEquals("packages/@local/orig/1.0.0/", dir);
        byte[] record = entries.get(dir + "RECORD");
        assertEquals(pkg.get("integrity").asText(), "sha256-" + Base64.getEncoder().encodeToString(sha256(record)));
        assertEquals(index.get("integrity").asText(), "sha256-" + Base64.getEncoder().encodeToString(
                sha256(Json.MAPPER.writeValueAsBytes(index.get("packages")))));
        String recordText = new String(record, StandardCharsets.UTF_8);
        assertTrue(recordText.endsWith("\n"));
        for (String line : recordText.split("\n")) {
            String[] f = line.split(",");
            byte[] file = entries.get(dir + f[0]);
            assertEquals("sha256=" + Base64.getEncoder().withoutPadding().encodeToString(sha256(file)), f[1], f[0]);
            assertEquals(String.valueOf(file.length), f[2]);
        }
        assertEquals("@local/orig", Json.MAPPER.readTree(entries.get(dir + "manifest.json")).get("name").asText());
        assertTrue(new String(entries.get(dir + "prompt.md"), StandardCharsets.UTF_8).startsWith("You are a test agent"));
    }

    @Test
    void hostDockerInternalInAModelUrlReachesTheHostsLoopback() {
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("answer", 3));
             TestServer s = TestServer.start(dir)) {
            RunFixtures.addModel(s, "openai-compatible", "http://host.docker.internal:" + model.port() + "/v1");
            RunFixtures.addAgent(s, "dockerish", 120);
            JsonNode run = RunFixtures.awaitTerminal(s, RunFixtures.startRun(s, "dockerish", "{\"input\":{}}").get("id").asText());
            assertEquals("success", run.get("status").asText(), run.toString());
            assertEquals(3, run.path("result").path("output").path("answer").asInt());
        }
        // for the egress guard the name is loopback too: refused unless listed, never unresolved
        EgressGuard guard = new EgressGuard(List.of());
        assertEquals(EgressGuard.Outcome.BLOCKED, guard.check(URI.create("http://host.docker.internal:8080/hook")).outcome());
        assertEquals(EgressGuard.Outcome.ALLOWED, new EgressGuard(List.of("host.docker.internal"))
                .check(URI.create("http://host.docker.internal:8080/hook")).outcome());
    }

    private static Map<String, String> report(String text) {
        Map<String, String> m = new TreeMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return m;
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
