package dev.appstrate.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A minimal SSE reader for tests: collects frames until a condition, then disconnects. */
public final class SseClient {
    /** One SSE frame. */
    public record Frame(String id, String event, String data) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(data);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + data, e);
            }
        }
    }

    private SseClient() {
    }

    /**
     * Reads frames from {@code url} (with Last-Event-ID when given) until {@code stop} accepts one or {@code maxFrames} is
     * reached, then closes the connection.
     */
    /**
     * A viewer that asks for {@code url}'s stream and then reads nothing (a 4 KB receive buffer, so the server's writes
     * back up soon): the caller reads it later, or never, through the socket's input stream.
     */
    public static java.net.Socket stalledViewer(String url) throws java.io.IOException {
        URI u = URI.create(url);
        java.net.Socket socket = new java.net.Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress(u.getHost(), u.getPort()));
        java.io.OutputStream out = socket.getOutputStream();
        out.write(("GET " + u.getRawPath() + "?" + u.getRawQuery() + " HTTP/1.0\r\nHost: " + u.getHost() + ":" + u.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    public static List<Frame> read(String url, String lastEventId, Predicate<Frame> stop, int maxFrames, List<Frame> sink)
            throws Exception {
        return read(url, lastEventId, stop, maxFrames, sink, java.util.Map.of());
    }

    /** As {@link #read(String, String, Predicate, int, List)}, with these request headers too (an API key, Appstrate-User). */
    public static List<Frame> read(String url, String lastEventId, Predicate<Frame> stop, int maxFrames, List<Frame> sink,
                                   java.util.Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        headers.forEach(b::header);
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new AssertionError("SSE " + r.statusCode() + ": " + new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        List<Frame> frames = sink != null ? sink : new CopyOnWriteArrayList<>();
        try (InputStream in = r.body(); BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (event != null) {
                        Frame f = new Frame(id, event, data.toString());
                        frames.add(f);
                        if (stop.test(f) || frames.size() >= maxFrames) {
                            break;
                        }
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        }
        return new ArrayList<>(frames);
    }
}
