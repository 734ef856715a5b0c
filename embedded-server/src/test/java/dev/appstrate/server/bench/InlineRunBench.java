package dev.appstrate.server.bench;

import static dev.appstrate.server.testing.RunFixtures.addModel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.testing.InlineAgents;
import dev.appstrate.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edit-and-run loop on a running server: POST /api/runs/inline (a folder's manifest + prompt) → the run's
 * first log line on the live stream, → its output on the stream, → the terminal status, with the instant
 * scripted model; median of bench.runs sequential runs after 2 warm-ups. The stream (the application's, as a
 * client following its runs holds it) is opened once before the runs. Run with bench/runs.sh inline.
 */
@Tag("bench")
class InlineRunBench {
    private record Frame(long nanos, String event, JsonNode data) {
    }

    @TempDir
    Path dataDir;

    @Test
    void inlineRunToFirstLogAndOutput() throws Exception {
        int runs = Integer.getInteger("bench.runs", 20);
        // the limit is per minute and per caller; the loop is what is measured, not the limiter
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("greeting", "Hello Ada"));
             TestServer s = TestServer.start(dataDir, Map.of("INLINE_RUN_LIMITS", "{\"rate_per_min\":1000}"))) {
            addModel(s, "openai-compatible", model.baseUrl());
            LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
            Thread reader = follow(s, frames);
            String body = InlineAgents.body(InlineAgents.manifest(), InlineAgents.PROMPT, InlineAgents.input("Ada"));
            List<Long> firstLog = new ArrayList<>();
            List<Long> output = new ArrayList<>();
            List<Long> done = new ArrayList<>();
            List<Long> created = new ArrayList<>();
            for (int i = 0; i < runs + 2; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = s.post("/api/runs/inline", body);
                long t201 = System.nanoTime();
                if (r.statusCode() != 201) {
                    throw new AssertionError("run " + i + " not started: " + r.statusCode() + " " + r.body());
                }
                String id = TestServer.json(r).get("id").asText();
                long log = -1;
                long out = -1;
                long end = -1;
                while (end < 0) {
                    Frame f = frames.poll(60, TimeUnit.SECONDS);
                    if (f == null) {
                        throw new AssertionError("run " + id + " sent nothing for 60 s");
                    }
                    if (!id.equals(f.data().path("runId").asText(f.data().path("id").asText()))) {
                        continue;
                    }
                    if (f.event().equals("run_log") && log < 0) {
                        log = f.nanos();
                    }
                    if (f.event().equals("run_log") && f.data().path("event").asText().equals("output") && out < 0) {
                        out = f.nanos();
                    }
                    if (f.event().equals("run_update") && Set.of("success", "failed", "timeout", "cancelled")
                            .contains(f.data().path("status").asText())) {
                        if (!f.data().path("status").asText().equals("success")) {
                            throw new AssertionError("run did not succeed: " + f.data());
                        }
                        end = f.nanos();
                    }
                }
                if (i >= 2) {
                    created.add((t201 - t0) / 1_000_000);
                    firstLog.add((log - t0) / 1_000_000);
                    output.add((out - t0) / 1_000_000);
                    done.add((end - t0) / 1_000_000);
                }
            }
            reader.interrupt();
            System.out.printf("BENCH inline-run runs=%d 201_median_ms=%d first_log_median_ms=%d output_median_ms=%d output_p90_ms=%d "
                    + "terminal_median_ms=%d output_all=%s%n", runs, median(created), median(firstLog), median(output), p90(output),
                    median(done), output);
        }
    }

    /** Reads the application's live stream on its own thread, stamping each frame when it arrives. */
    private static Thread follow(TestServer s, LinkedBlockingQueue<Frame> frames) throws Exception {
        URI uri = URI.create(s.url() + "/api/realtime/runs?token=" + TestServer.OWNER_TOKEN + "&applicationId=" + s.defaultAppId());
        HttpResponse<InputStream> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new AssertionError("stream answered " + r.statusCode());
        }
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String event = null;
                StringBuilder data = new StringBuilder();
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.isEmpty()) {
                        if (event != null && data.length() > 0) {
                            frames.add(new Frame(System.nanoTime(), event, Json.MAPPER.readTree(data.toString())));
                        }
                        event = null;
                        data.setLength(0);
                    } else if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(line.substring(6));
                    }
                }
            } catch (Exception e) {
                // the stream ends with the server or the interrupt
            }
        }, "bench-stream");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static long p90(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get((int) Math.ceil(s.size() * 0.9) - 1);
    }
}
