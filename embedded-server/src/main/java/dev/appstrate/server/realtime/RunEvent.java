package dev.appstrate.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.EventStream;
import dev.appstrate.server.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * One message on the local bus: channel {@code run_update}, {@code run_log} or {@code run_metric},
 * the application and run it belongs to, the log id for {@code run_log} (else 0) and its payload.
 */
public record RunEvent(String channel, String applicationId, String runId, long logId, JsonNode payload, Encoded encoded) {
    public static final String RUN_UPDATE = "run_update";
    public static final String RUN_LOG = "run_log";
    public static final String RUN_METRIC = "run_metric";

    public RunEvent(String channel, String applicationId, String runId, long logId, JsonNode payload) {
        this(channel, applicationId, runId, logId, payload, new Encoded());
    }

    /** The event as one SSE frame in UTF-8 (a log's carries its id), encoded once for every stream that sends it. */
    public byte[] frame(boolean verbose) {
        boolean log = RUN_LOG.equals(channel);
        boolean full = verbose || !log || !(payload instanceof ObjectNode);
        byte[] b = full ? encoded.fullFrame : encoded.briefFrame;
        if (b == null) {
            b = EventStream.frame(channel, log ? logId : null, json(full)).getBytes(StandardCharsets.UTF_8);
            if (full) {
                encoded.fullFrame = b;
            } else {
                encoded.briefFrame = b;
            }
        }
        return b;
    }

    /** The payload as JSON text, a log without its {@code data} unless full (only built for a frame: the frame is what is kept). */
    private String json(boolean full) {
        if (full) {
            return Json.string(payload);
        }
        ObjectNode copy = ((ObjectNode) payload).deepCopy();
        copy.remove("data");
        return Json.string(copy);
    }

    /** The encodings of one event; racing streams may both encode it, with the same result. */
    public static final class Encoded {
        private volatile byte[] fullFrame;
        private volatile byte[] briefFrame;
    }
}
