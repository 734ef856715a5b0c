package dev.appstrate.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.http.HttpTransport;
import dev.appstrate.runner.testing.SinkRecorder;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sink sends a burst as CloudEvents batches, a lone event alone, and falls back to one event per request for a
 * server that refuses batches (the original's); a batch too large for the server (413) is split and later batches fit;
 * retries still deliver every event once, in order.
 */
class EventSinkBatchTest {
    static final String RUN_ID = "run_5b0e2c1a-3d4f-4e5a-8b6c-7d8e9f0a1b2c";
    static final int BURST = 500;

    private static EventSink sink(SinkRecorder recorder) {
        SinkTarget target = new SinkTarget(RUN_ID, URI.create(recorder.eventsUrl(RUN_ID)), URI.create(recorder.finalizeUrl(RUN_ID)),
                URI.create(recorder.heartbeatUrl(RUN_ID)), recorder.secret());
        return new EventSink(target, HttpTransport.create(Duration.ofSeconds(5)), Clock.systemUTC());
    }

    private static void burst(EventSink sink, int from) throws InterruptedException {
        for (int i = from; i < from + BURST; i++) {
            sink.emit("log.written", Json.object().put("level", "info").put("message", "burst " + i));
        }
        assertTrue(sink.drain(Duration.ofMinutes(1)), "every event sent");
    }

    /** Every event once, sequences 1..n in order, the n-th message where it belongs. */
    private static void assertAllInOrder(SinkRecorder recorder, int events) {
        List<JsonNode> all = recorder.eventEnvelopes();
        assertEquals(events, all.size(), "each event once");
        for (int i = 0; i < events; i++) {
            assertEquals(i + 1, all.get(i).path("sequence").asInt());
        }
        assertEquals("burst " + (events - 1), all.get(events - 1).at("/data/message").asText());
    }

    private static long requests(SinkRecorder recorder, String contentType) {
        return recorder.received().stream().filter(r -> r.kind() == SinkRecorder.Kind.EVENT)
                .filter(r -> contentType.equals(r.header("content-type"))).count();
    }

    @Test
    void aLoneEventGoesAloneAndABurstGoesInBatches() throws Exception {
        try (SinkRecorder recorder = SinkRecorder.start().acceptBatches(); EventSink sink = sink(recorder)) {
            sink.emit("log.written", Json.object().put("level", "info").put("message", "burst 0"));
            assertTrue(sink.drain(Duration.ofSeconds(30)));
            assertEquals(1, requests(recorder, "application/cloudevents+json"), "a lone event is sent as the original sends it");

            burst(sink, 1);
            assertAllInOrder(recorder, BURST + 1);
            long batches = requests(recorder, EventSink.BATCH_CONTENT_TYPE);
            long singles = requests(recorder, "application/cloudevents+json");
            assertTrue(batches > 0, "a burst goes in batches");
            assertTrue(batches + singles < BURST / 4, "far fewer requests than events: " + batches + " batches, " + singles + " single");
            assertEquals(List.of(), recorder.rejected(), "every batch is signed");
        }
    }

    @Test
    void aServerThatRefusesBatchesGetsEveryEventOneByOne() throws Exception {
        try (SinkRecorder recorder = SinkRecorder.start(); EventSink sink = sink(recorder)) {
            burst(sink, 0);
            assertAllInOrder(recorder, BURST);
            assertTrue(recorder.refusedBatches() >= 1 && recorder.refusedBatches() <= EventSink.IN_FLIGHT,
                    "batching stops at the first refusal (those already in flight aside): " + recorder.refusedBatches());
            assertEquals(BURST, requests(recorder, "application/cloudevents+json"), "then one event per request");

            int refused = recorder.refusedBatches();
            burst(sink, BURST);
            assertEquals(refused, recorder.refusedBatches(), "no further batch for the rest of the run");
            assertAllInOrder(recorder, 2 * BURST);
        }
    }

    @Test
    void aBatchThatFailsIsRetriedWhole() throws Exception {
        try (SinkRecorder recorder = SinkRecorder.start().acceptBatches(); EventSink sink = sink(recorder)) {
            recorder.failNextEvents(3, 503);
            burst(sink, 0);
            assertAllInOrder(recorder, BURST);
        }
    }

    @Test
    void aBatchTooLargeForTheServerIsSplitAndLaterBatchesFit() throws Exception {
        try (SinkRecorder recorder = SinkRecorder.start().acceptBatchesUpTo(40); EventSink sink = sink(recorder)) {
            recorder.failNextEvents(EventSink.IN_FLIGHT, 503); // the senders back off while the burst queues: batches of 250
            burst(sink, 0);
            assertAllInOrder(recorder, BURST);
            int tooLarge = recorder.tooLargeBatches();
            assertTrue(tooLarge >= 1, "a batch over the server's cap was sent and refused");

            burst(sink, BURST);
            assertAllInOrder(recorder, 2 * BURST);
            assertEquals(tooLarge, recorder.tooLargeBatches(), "no batch over the server's cap once one was refused as too large");
            long batches = requests(recorder, EventSink.BATCH_CONTENT_TYPE);
            long singles = requests(recorder, "application/cloudevents+json");
            assertTrue(batches + singles < BURST, "still batched, not one event per request: " + batches + " batches, " + singles + " single");
        }
    }
}
