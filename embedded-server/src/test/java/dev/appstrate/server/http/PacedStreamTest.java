package dev.appstrate.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.appstrate.server.testing.Await;
import dev.appstrate.server.testing.SseClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A paced producer (a replay) told to wait for its stream to drain is called back only once the stream can take the
 * frame it was refused: called while the frame is still refused, it reads its page again and is refused again, a loop
 * that lasts as long as the viewer does not read (a log row stored before the row cap is a megabyte).
 */
class PacedStreamTest {
    private RouterServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRefusedLargeFrameIsRetriedOnlyOnceTheQueueCanTakeIt() throws Exception {
        byte[] small = frame('s', 100 * 1024);
        byte[] large = frame('L', (int) SseStreams.PACED_BYTES); // over the bound, with a small frame ahead of it
        AtomicReference<EventStream.EventSink> opened = new AtomicReference<>();
        CompletableFuture<EventStream.Admission> refused = new CompletableFuture<>();
        CompletableFuture<Boolean> calledAtOnce = new CompletableFuture<>();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        Router router = new Router();
        router.get("/paced", req -> ApiResponse.events("tester", sink -> {
            opened.set(sink);
            // held back by the batch: both frames are queued when the producer is told to wait
            FrameBatch batch = new FrameBatch("paced-test-flush", 1, TimeUnit.MILLISECONDS);
            batch.collect(() -> {
                sink.offer(small);
                refused.complete(sink.offer(large));
                sink.whenDrained(() -> drained.complete(null));
                calledAtOnce.complete(drained.isDone());
            });
            batch.close();
        })).publicRoute();
        server = RouterServer.start(router);
        String url = server.base() + "/paced";

        List<SseClient.Frame> frames = new CopyOnWriteArrayList<>();
        Thread viewer = new Thread(() -> {
            try {
                SseClient.read(url, null, f -> f.data().startsWith("L"), 10, frames);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "viewer");
        viewer.start();
        assertEquals(EventStream.Admission.FULL, refused.get(30, TimeUnit.SECONDS));
        assertFalse(calledAtOnce.get(30, TimeUnit.SECONDS),
                "called back while the refused frame still could not be queued: the producer would loop re-reading it");
        Await.until("the producer is called back once the small frame is written", drained::isDone);
        assertEquals(EventStream.Admission.QUEUED, opened.get().offer(large));
        viewer.join(30_000);
        assertEquals(List.of("s", "L"), frames.stream().map(f -> f.data().substring(0, 1)).toList());
    }

    private static byte[] frame(char fill, int bytes) {
        return EventStream.frame("log", null, String.valueOf(fill).repeat(bytes)).getBytes(StandardCharsets.UTF_8);
    }
}
