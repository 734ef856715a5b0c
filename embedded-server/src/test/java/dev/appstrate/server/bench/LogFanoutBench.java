package dev.appstrate.server.bench;

import static dev.appstrate.server.testing.RunFixtures.addModel;

import dev.appstrate.runner.StandardWebhookSignature;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.testing.SseClient;
import dev.appstrate.server.testing.TestDatabases;
import dev.appstrate.server.testing.TestRedis;
import dev.appstrate.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log fan-out: one run receives N signed log.written events (the bench plays the runner, with
 * several keep-alive connections that pipeline up to bench.window requests, so events also arrive
 * out of order) while 10 SSE subscribers follow it. Reports events/s ingested (every request answered,
 * i.e. committed) and delivered (the last subscriber saw the last event), round-trip latency, and
 * checks every subscriber got every log once, in order. bench.rate paces the senders (events/s in all).
 * bench.batch=N sends N events per request as a CloudEvents batch (our extension; 1 = the original's protocol);
 * bench.sink=true sends through the runner's own {@code EventSink} from one thread instead (what our runner does);
 * with it, bench.warmup=N first sends N events at the same rate, measured apart (the cold figure) and not counted in the
 * main figures (the steady state once the JIT has compiled the path, as JMH's warm-up iterations); with the sink, the p99
 * of every 10 s and the events over 5 ms in each are printed too (where the slow events are). The server in its own
 * process, as users run it: {@link ServerProcessLatencyBench}.
 */
@Tag("bench")
class LogFanoutBench {
    @TempDir
    Path dataDir;

    @Test
    void fanout() throws Exception {
        int events = Integer.getInteger("bench.events", 100_000);
        int senders = Integer.getInteger("bench.senders", 8);
        int subscribers = Integer.getInteger("bench.subscribers", 10);
        int window = Integer.getInteger("bench.window", 32);
        int rate = Integer.getInteger("bench.rate", 0);
        int batch = Integer.getInteger("bench.batch", 1);
        boolean viaSink = Boolean.getBoolean("bench.sink");
        int warmup = viaSink ? Integer.getInteger("bench.warmup", 0) : 0;
        // bench.cluster=true: the run on instance A, the subscribers on instance B (PostgreSQL + Redis shared)
        boolean cluster = Boolean.getBoolean("bench.cluster");
        Map<String, String> shared = cluster ? Map.of("DATABASE_URL", TestDatabases.createDatabase(),
                "REDIS_URL", TestRedis.freshDatabase()) : Map.of();
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 600")))
                .start();
             TestServer s = TestServer.start(dataDir, shared);
             TestServer viewer = cluster ? TestServer.start(java.nio.file.Files.createTempDirectory("fanout-b"), shared) : null) {
            addModel(s, "openai-compatible", model.baseUrl());
            HijackedRun run = HijackedRun.start(s, "flood");
            String runId = run.id();
            String secret = run.secret();
            int startSeq = run.startSequence();
            ExecutorService pool = Executors.newFixedThreadPool(subscribers + 2 * senders);
            URI sse = URI.create((viewer != null ? viewer : s).url() + "/api/realtime/runs/" + runId + "?token=" + TestServer.OWNER_TOKEN + "&applicationId="
                    + s.defaultAppId() + "&channels=run_log&replay=false");
            List<CompletableFuture<SseCounter>> subs = SseCounter.subscribe(sse, subscribers, warmup + events, pool);
            StandardWebhookSignature sig = new StandardWebhookSignature(secret);
            URI base = URI.create(s.url());
            String path = "/api/runs/" + runId + "/events";
            // sequences are taken in blocks of one per request from a shared counter: connections interleave, so
            // events arrive out of order and the server re-orders them by sequence
            AtomicInteger next = new AtomicInteger();
            long intervalNs = rate > 0 ? (long) (1e9 * senders * batch / rate) : 0;
            List<PipelinedSender> conns = new ArrayList<>();
            for (int w = 0; w < (viaSink ? 0 : senders); w++) {
                conns.add(new PipelinedSender(base, path, sig, window, events, batch > 1 ? "application/cloudevents-batch+json"
                        : "application/cloudevents+json"));
            }
            SinkSender sink = viaSink ? SinkSender.open(base, runId, secret, startSeq) : null;
            String cold = "";
            if (warmup > 0) {
                sink.send("warm ", warmup, rate);
                long[] w = java.util.Arrays.stream(sink.fromSchedule()).sorted().toArray();
                long[] e = java.util.Arrays.stream(sink.latencies()).sorted().toArray();
                cold = String.format(" warmup=%d warmup_p50/p99/max_ms=%.2f/%.2f/%.2f warmup_from_schedule_p99_ms=%.2f warmup_requests=%d"
                                + " warmup_p99_ms/over_5ms_by_10s=%s", warmup, e[e.length / 2] / 1e6, e[(int) (e.length * 0.99)] / 1e6,
                        e[e.length - 1] / 1e6, w[(int) (w.length * 0.99)] / 1e6, sink.requests(), sink.byWindow(10_000_000_000L, 5_000_000));
                sink.resetRequests();
            }
            int[] perConn = new int[senders];
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            ThreadCosts costs0 = ThreadCosts.now();
            dev.appstrate.server.runs.EventBatchWriter.Stats batches0 = s.server().components().eventIngestion().batchStats();
            long t0 = System.nanoTime();
            List<CompletableFuture<Void>> work = new ArrayList<>();
            CountDownLatch allSent = new CountDownLatch(senders);
            AtomicInteger[] sentBy = new AtomicInteger[senders];
            if (sink != null) {
                work.add(CompletableFuture.runAsync(() -> sink.send(events, rate), pool));
            }
            for (int w = 0; w < conns.size(); w++) {
                PipelinedSender c = conns.get(w);
                AtomicInteger mine = sentBy[w] = new AtomicInteger();
                work.add(CompletableFuture.runAsync(() -> {
                    try {
                        long due = System.nanoTime();
                        while (true) {
                            c.reserve();
                            int i = next.getAndAdd(batch);
                            if (i >= events) {
                                break;
                            }
                            if (intervalNs > 0) {
                                due += intervalNs;
                                while (System.nanoTime() < due) {
                                    java.util.concurrent.locks.LockSupport.parkNanos(Math.max(1000, due - System.nanoTime()));
                                }
                            }
                            if (batch == 1) {
                                c.send(event(runId, i, startSeq));
                            } else {
                                StringBuilder body = new StringBuilder("[");
                                for (int k = i; k < Math.min(events, i + batch); k++) {
                                    body.append(k > i ? "," : "").append(event(runId, k, startSeq));
                                }
                                c.send(body.append(']').toString());
                            }
                            mine.incrementAndGet();
                        }
                        c.finish();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        allSent.countDown();
                    }
                }, pool));
                work.add(CompletableFuture.runAsync(() -> {
                    try {
                        c.readAnswers();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            long ingestNs = System.nanoTime() - t0;
            long lastDelivery = t0;
            List<String> problems = new ArrayList<>();
            int[] counts = new int[subscribers];
            for (int i = 0; i < subscribers; i++) {
                SseCounter c = subs.get(i).get(10, TimeUnit.MINUTES);
                counts[i] = c.count;
                lastDelivery = Math.max(lastDelivery, c.doneNanos);
                if (!c.ascending || !c.lastData.contains("\"message\":\"flood " + (events - 1) + "\"")) {
                    problems.add("subscriber " + i + " ascending=" + c.ascending + " last=" + c.lastData);
                }
            }
            long deliverNs = lastDelivery - t0;
            long cpuNs = os.getProcessCpuTime() - cpu0;
            String threadCosts = ThreadCosts.now().perEvent(costs0, events);
            dev.appstrate.server.runs.EventBatchWriter.Stats batches = s.server().components().eventIngestion().batchStats();
            long commits = batches.batches() - batches0.batches();
            int persisted = HijackedRun.lastSequence(s, runId) - startSeq - warmup;
            long rows = s.server().database().read(c -> dev.appstrate.server.store.Rows.count(c,
                    "SELECT COUNT(*) FROM run_logs WHERE run_id=? AND message LIKE 'flood %'", runId));
            long[] all = (sink != null ? java.util.Arrays.stream(sink.latencies())
                    : conns.stream().flatMapToLong(c -> java.util.Arrays.stream(c.latencies()))).sorted().toArray();
            long[] due = sink != null ? java.util.Arrays.stream(sink.fromSchedule()).sorted().toArray() : all;
            String shape = sink != null ? String.format("sender=EventSink requests=%d from_schedule_p50/p99/max_ms=%.2f/%.2f/%.2f p99_ms/over_5ms_by_10s=%s",
                    sink.requests(), due[due.length / 2] / 1e6, due[(int) (due.length * 0.99)] / 1e6, due[due.length - 1] / 1e6,
                    sink.byWindow(10_000_000_000L, 5_000_000)) + cold : "sender=sockets batch=" + batch + " requests=" + all.length;
            System.out.printf("BENCH log-fanout" + (cluster ? "-two-instances" : "") + " " + shape + " events=%d senders=%d window=%d rate=%s subscribers=%d ingested_per_s=%.0f "
                            + "delivered_all_per_s=%.0f persisted=%d rows=%d ingest_p50_ms=%.2f ingest_p99_ms=%.2f ingest_max_ms=%.2f "
                            + "cpu_us_per_event=%.0f per_event_cpu_us/ctxsw[%s] commits=%d mean_batch=%.1f largest_batch=%d commit_wait_p50/p99/max_ms=%.2f/%.2f/%.2f load=%.1f per_subscriber=%s in_order=%s%n", events, senders, window, rate > 0 ? String.valueOf(rate) : "max",
                    subscribers, events / (ingestNs / 1e9), events / (deliverNs / 1e9), persisted, rows,
                    all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6,
                    cpuNs / 1e3 / events, threadCosts, commits,
                    (batches.items() - batches0.items()) / (double) Math.max(1, commits), batches.largest(), batches.waitP50Micros() / 1e3, batches.waitP99Micros() / 1e3, batches.waitMaxMicros() / 1e3, os.getSystemLoadAverage(), java.util.Arrays.toString(counts), problems.isEmpty() ? "yes" : problems);
            for (PipelinedSender c : conns) {
                c.close();
            }
            if (sink != null) {
                sink.close();
            }
            run.resume();
            pool.shutdownNow();
        }
    }

    private static String event(String runId, int i, int startSeq) {
        return "{\"specversion\":\"1.0\",\"type\":\"log.written\",\"source\":\"/afps/runs/" + runId + "\",\"id\":\"" + UUID.randomUUID()
                + "\",\"datacontenttype\":\"application/json\",\"data\":{\"level\":\"info\",\"message\":\"flood " + i
                + "\"},\"sequence\":" + (startSeq + 1 + i) + "}";
    }
}
