package dev.appstrate.desktop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.concurrent.NamedExecutors;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.ui.UiTesting;
import dev.appstrate.runner.testing.ScriptedModelServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The reconnecting SSE stream against a real embedded server: the application's stream of run logs survives a dropped
 * connection and a server restart, and every log line arrives exactly once, in order.
 */
class ReconnectingStreamTest {
    private static final Set<String> TERMINAL = Set.of("success", "failed", "timeout", "cancelled");
    @TempDir
    static Path dataDir;
    static EmbeddedServer server;
    static volatile AppstrateClient client;
    static ScriptedModelServer provider;
    static final List<String> runs = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        provider = ScriptedModelServer.bashThenOutput("for i in 1 2 3 4 5; do echo streamed line $i; done", Map.of("answer", 1));
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn"), dataDir);
        client = UiTesting.client(server);
        UiTesting.addModel(client, provider.baseUrl());
        UiTesting.addAgent(client, "streamer", m -> { });
    }

    @AfterAll
    static void stop() {
        UiTesting.stopAll(client, server, provider);
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, condition);
    }

    /** Runs the agent to its end; returns the ids of the log lines stored for the run. */
    private static List<Long> finishedRunLogIds() throws Exception {
        String runId = client.runAgent("@local/streamer", null, null).path("id").asText();
        runs.add(runId);
        waitUntil(() -> TERMINAL.contains(client.run(runId).path("status").asText()));
        List<Long> ids = new ArrayList<>();
        client.runLogs(runId, 0, 1000).rows().forEach(r -> ids.add(r.path("id").asLong()));
        assertTrue(ids.size() >= 3, "a run writes log lines: " + ids);
        return ids;
    }

    @Test
    void aDroppedConnectionAndAServerRestartLoseNoLineAndRepeatNone() throws Exception {
        List<Long> received = new CopyOnWriteArrayList<>();
        AtomicInteger opens = new AtomicInteger();
        AtomicInteger drops = new AtomicInteger();
        ScheduledExecutorService scheduler = NamedExecutors.namedScheduler("stream-test");
        ReconnectingStream stream = new ReconnectingStream((from, l) -> client.stream(null, from, l), scheduler,
                new ReconnectingStream.Listener() {
                    @Override
                    public void opened(boolean again) {
                        opens.incrementAndGet();
                    }

                    @Override
                    public void event(String type, String data) {
                        if ("run_log".equals(type)) {
                            try {
                                JsonNode line = DesktopJson.MAPPER.readTree(data);
                                received.add(line.path("id").asLong());
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }

                    @Override
                    public void dropped(long retrySeconds) {
                        drops.incrementAndGet();
                    }
                });
        stream.start(0);
        waitUntil(() -> opens.get() == 1);
        List<Long> expected = new ArrayList<>(finishedRunLogIds());
        waitUntil(() -> received.containsAll(expected));

        // the connection drops (as a network failure would) and a run writes its log meanwhile
        stream.dropConnection();
        assertEquals(1, drops.get());
        expected.addAll(finishedRunLogIds());
        waitUntil(() -> opens.get() == 2 && received.containsAll(expected));

        // the server goes away and comes back on the same address; the next run's lines still arrive
        int port = URI.create(server.url()).getPort();
        server.stop();
        waitUntil(() -> drops.get() >= 2);
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn", "PORT", String.valueOf(port)), dataDir);
        AppstrateClient old = client;
        client = UiTesting.client(server);
        old.close();
        waitUntil(() -> opens.get() == 3);
        expected.addAll(finishedRunLogIds());
        waitUntil(() -> received.containsAll(expected));

        // a run may still log after its status turns final: each run's lines read again now must all have arrived
        List<Long> all = new ArrayList<>();
        for (String runId : runs) {
            client.runLogs(runId, 0, 1000).rows().forEach(r -> all.add(r.path("id").asLong()));
        }
        waitUntil(() -> received.containsAll(all));
        List<Long> got = List.copyOf(received);
        for (int i = 1; i < got.size(); i++) {
            assertTrue(got.get(i) > got.get(i - 1), "every line once, in order: " + got);
        }
        assertEquals(got.get(got.size() - 1), stream.lastEventId());

        // closed: the stream hears nothing more
        stream.close();
        int before = received.size();
        finishedRunLogIds();
        assertEquals(before, received.size());
        scheduler.shutdownNow();
    }
}
