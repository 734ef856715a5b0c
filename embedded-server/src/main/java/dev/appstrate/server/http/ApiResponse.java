package dev.appstrate.server.http;

import dev.appstrate.server.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** What a route answers: a status, headers and either a body or a stream (SSE, downloads). */
public final class ApiResponse {
    /** Writes a streamed body; runs on the request thread until the stream ends. */
    @FunctionalInterface
    public interface StreamBody {
        void write(OutputStream out) throws IOException;
    }

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;
    private final StreamBody stream;
    private EventStream events;
    private String eventsOwner;
    private CompletionStage<ApiResponse> later;

    private ApiResponse(int status, String contentType, byte[] body, StreamBody stream) {
        this.status = status;
        this.body = body;
        this.stream = stream;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, "application/json", Json.bytes(value), null);
    }

    public static ApiResponse ok(Object value) {
        return json(200, value);
    }

    public static ApiResponse created(Object value) {
        return json(201, value);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, new byte[0], null);
    }

    public static ApiResponse bytes(int status, String contentType, byte[] body) {
        return new ApiResponse(status, contentType, body, null);
    }

    public static ApiResponse stream(int status, String contentType, StreamBody stream) {
        return new ApiResponse(status, contentType, null, stream);
    }

    /**
     * A server-sent event stream that holds no thread while open; {@code owner} is the credential it
     * counts against (streams are capped per credential and overall).
     */
    public static ApiResponse events(String owner, EventStream stream) {
        ApiResponse r = new ApiResponse(200, "text/event-stream", null, null);
        r.events = stream;
        r.eventsOwner = owner;
        return r;
    }

    /**
     * An answer that is not known yet: no thread waits for it, and it is written by whichever thread completes
     * {@code answer} (a failure maps to problem+json as if the route had thrown it). For short routes only.
     */
    public static ApiResponse later(CompletionStage<ApiResponse> answer) {
        ApiResponse r = new ApiResponse(200, null, null, null);
        r.later = answer;
        return r;
    }

    /** The pending answer of {@link #later}, or null. */
    public CompletionStage<ApiResponse> later() {
        return later;
    }

    public EventStream events() {
        return events;
    }

    public String eventsOwner() {
        return eventsOwner;
    }

    public ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    public StreamBody stream() {
        return stream;
    }
}
