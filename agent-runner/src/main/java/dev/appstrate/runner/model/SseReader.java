package dev.appstrate.runner.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Minimal text/event-stream reader: dispatches (event, data) per blank-line-terminated block. */
final class SseReader {

    interface Handler {
        /** @return {@code false} to stop reading */
        boolean onEvent(String event, String data) throws IOException;
    }

    private SseReader() {
    }

    /** An event's data as JSON; malformed data is an I/O error (a garbled stream is retried). */
    static JsonNode json(String data) throws IOException {
        try {
            return Json.parse(data);
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed stream event: " + e.getMessage(), e);
        }
    }

    static void read(InputStream in, Handler handler) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String event = null;
        StringBuilder data = null;
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null && !handler.onEvent(event, data.toString())) {
                    return;
                }
                event = null;
                data = null;
            } else if (line.startsWith(":")) {
                continue;
            } else if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                String d = line.substring(5);
                if (d.startsWith(" ")) {
                    d = d.substring(1);
                }
                if (data == null) {
                    data = new StringBuilder(d);
                } else {
                    data.append('\n').append(d);
                }
            }
        }
        if (data != null) {
            handler.onEvent(event, data.toString());
        }
    }
}
