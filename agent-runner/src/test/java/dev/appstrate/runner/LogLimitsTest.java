package dev.appstrate.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The 32 KB rule of a log row: what is within it is untouched, what is over is cut visibly, once, never mid-character. */
class LogLimitsTest {
    @Test
    void aMessageWithinTheCapIsUntouchedAndOneOverItKeepsItsBeginningAndAMarkerWithinTheCap() {
        String fits = "a".repeat(LogLimits.MAX_BYTES);
        assertSame(fits, LogLimits.message(fits));
        String emoji = "😀".repeat(20_000); // 80,000 bytes of surrogate pairs
        String cut = LogLimits.message(emoji);
        assertTrue(cut.endsWith(" … [truncated: 80000 bytes, over the 32768-byte limit]"), cut.substring(cut.length() - 60));
        assertTrue(cut.getBytes(StandardCharsets.UTF_8).length <= LogLimits.MAX_BYTES);
        String kept = cut.substring(0, cut.indexOf(" … [truncated"));
        assertEquals(kept, "😀".repeat(kept.length() / 2), "no pair split");
        assertEquals(cut, LogLimits.message(cut), "cutting again changes nothing");
    }

    @Test
    void dataOverTheCapBecomesARecordWithAPreviewAndOtherEventsStayWhole() {
        JsonNode small = Json.object().put("result", "ok");
        assertSame(small, LogLimits.data(small));
        JsonNode big = Json.object().put("result", "\"quoted\" ".repeat(10_000));
        JsonNode record = LogLimits.data(big);
        assertTrue(record.path("truncated").asBoolean());
        assertEquals(Json.write(big).length(), record.path("bytes").asInt());
        assertTrue(Json.write(record).getBytes(StandardCharsets.UTF_8).length <= LogLimits.MAX_BYTES, "escaped, still within the cap");
        assertSame(record, LogLimits.data(record), "cutting again changes nothing");

        JsonNode output = Json.object().set("data", big);
        assertSame(output, LogLimits.event("output.emitted", output), "the run's output is its result: never cut");
        JsonNode progress = Json.object().put("message", "Tool result: bash").set("data", big);
        JsonNode capped = LogLimits.event("appstrate.progress", progress);
        assertEquals("Tool result: bash", capped.path("message").asText());
        assertTrue(capped.path("data").path("truncated").asBoolean());
        assertEquals(big, progress.path("data"), "the caller's node is not changed");
    }

    @Test
    void dataShapedLikeTheRecordIsStillHeldToTheCap() {
        // a foreign runner's data that looks like a record is no way around the server's cap
        JsonNode lookalike = Json.object().put("truncated", true).put("bytes", 1).put("limit", 1).put("preview", "p".repeat(100_000));
        JsonNode stored = LogLimits.data(lookalike);
        assertTrue(Json.write(stored).getBytes(StandardCharsets.UTF_8).length <= LogLimits.MAX_BYTES, "stored whole, over the cap");
        assertEquals(Json.write(lookalike).length(), stored.path("bytes").asInt());
    }
}
