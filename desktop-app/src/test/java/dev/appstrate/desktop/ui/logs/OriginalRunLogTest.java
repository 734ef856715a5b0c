package dev.appstrate.desktop.ui.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.ServerEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A run's log from a server that speaks like the original: its live {@code run_log} frames carry
 * {@code "message": null} and no {@code data} for output, result and completion rows, and its stored rows carry
 * the payload but still no message. Each line says what happened, live and when the run is reopened.
 */
class OriginalRunLogTest {
    private static final String RUN = "run_42463846-f6ea-4a0f-bf10-d10ed5d75157";
    private HttpServer server;
    private AppstrateClient client;
    private volatile String storedRows = "";
    private final AtomicInteger logReads = new AtomicInteger();
    private final AtomicInteger streamOpens = new AtomicInteger();

    /** The original's frames: top-level camelCase, {@code data} stripped (no ?verbose), ids subscriber:n. */
    private static final String LIVE = frame(1, row(5, "progress", "info", "progress", "\"runtime starting (376ms cold start)\"", null))
            + frame(2, row(9, "result", "info", "output", "null", null))
            + frame(3, row(10, "result", "info", "result", "null", null))
            + frame(4, row(11, "system", "info", "run_completed", "null", null))
            + "event: run_update\ndata: {\"operation\":\"UPDATE\",\"id\":\"" + RUN + "\",\"status\":\"success\"}\nid: sub:5\n\n";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/runs/" + RUN + "/logs", ex -> {
            logReads.incrementAndGet();
            send(ex, "application/json", "{\"object\":\"list\",\"data\":[" + storedRows + "],\"hasMore\":false}");
        });
        server.createContext("/api/realtime/runs/" + RUN, ex -> {
            streamOpens.incrementAndGet();
            send(ex, "text/event-stream", "event: ping\ndata: \n\n" + LIVE);
        });
        server.createContext("/api/runs/" + RUN, ex -> send(ex, "application/json", "{\"id\":\"" + RUN + "\",\"status\":\"success\"}"));
        server.start();
        client = new AppstrateClient(new ServerEndpoint("http://127.0.0.1:" + server.getAddress().getPort(), "ask_fixture", false));
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void linesWithoutAMessageAreSaidFromTheirEventTypeLiveAndFromTheirPayloadWhenReopened() throws Exception {
        assertEquals(List.of("INFO   [progress] runtime starting (376ms cold start)", "INFO   [output] structured output emitted",
                "INFO   [result] run succeeded", "INFO   [run_completed] run completed"), read());

        storedRows = String.join(",", row(9, "result", "info", "output", "null", "{\"answer\":7}"),
                row(10, "result", "info", "result", "null", null),
                row(11, "system", "info", "run_completed", "null", "{\"runId\":\"" + RUN + "\",\"status\":\"success\"}"),
                row(12, "system", "error", "run_completed", "null", "{\"runId\":\"" + RUN + "\",\"status\":\"failed\",\"error\":\"Connection error.\"}"),
                row(13, "system", "error", "run_completed", "null", "{\"runId\":\"" + RUN + "\",\"status\":\"cancelled\",\"error\":\"Cancelled by user\"}"),
                row(14, "result", "info", "document", "null", "{\"name\":\"report.pdf\",\"mime\":\"application/pdf\",\"size\":2048}"),
                row(16, "result", "info", "output", "null", "\"[payload too large]\""));
        assertEquals(List.of("INFO   [output] output {\"answer\":7}", "INFO   [result] run succeeded",
                "INFO   [run_completed] run succeeded", "ERROR  [run_completed] run failed: Connection error.",
                "INFO   [run_completed] run cancelled: Cancelled by user",
                "INFO   [document] document published: report.pdf (application/pdf, 2048 bytes)",
                "INFO   [output] structured output emitted [payload too large]"), read());
    }

    @Test
    void aFinishedRunsEndedStreamIsNotReopenedOnlyItsStoredLogReadOnceMore() throws Exception {
        List<String> states = new CopyOnWriteArrayList<>();
        SseLogSource source = new SseLogSource(client, RUN, update -> { });
        source.start(new LogSink() {
            @Override
            public void line(LogLine line) {
            }

            @Override
            public void status(String s) {
                states.add(s);
            }
        });
        try {
            // history, stream (run ends, stream ends), then the last read of the history, after which the source says so
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> logReads.get() == 2 && states.get(states.size() - 1).equals("run success"));
            assertEquals(1, streamOpens.get());
        } finally {
            source.close();
        }
    }

    /** Everything a fresh log source delivers until the stream said the run finished. */
    private List<String> read() throws Exception {
        List<LogLine> lines = new CopyOnWriteArrayList<>();
        List<String> states = new CopyOnWriteArrayList<>();
        SseLogSource source = new SseLogSource(client, RUN, update -> { });
        source.start(new LogSink() {
            @Override
            public void line(LogLine line) {
                lines.add(line);
            }

            @Override
            public void status(String s) {
                states.add(s);
            }
        });
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> states.contains("run success") && lines.stream().anyMatch(l -> l.id() == 11 && l.level() == LogLevel.INFO
                    && l.message().equals(storedRows.isEmpty() ? "run completed" : "run succeeded")));
            return lines.stream().map(l -> l.format(false)).toList();
        } finally {
            source.close();
        }
    }

    private static String row(long id, String type, String level, String event, String message, String data) {
        return "{\"id\":" + id + ",\"runId\":\"" + RUN + "\",\"orgId\":\"3acf0f07\",\"applicationId\":\"app_5504bc00\",\"type\":\"" + type
                + "\",\"level\":\"" + level + "\",\"event\":\"" + event + "\",\"message\":" + message
                + (data == null ? "" : ",\"data\":" + data) + ",\"createdAt\":\"2026-11-29T03:43:44.134Z\"}";
    }

    private static String frame(int n, String json) {
        return "event: run_log\ndata: " + json + "\nid: sub:" + n + "\n\n";
    }

    private static void send(HttpExchange ex, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
