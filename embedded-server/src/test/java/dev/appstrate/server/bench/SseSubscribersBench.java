package dev.appstrate.server.bench;

import static dev.appstrate.server.testing.RunFixtures.addModel;

import dev.appstrate.runner.StandardWebhookSignature;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.testing.TestServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSE subscribers: bench.subscribers (1,000) follow one streaming run, spread over the owner credential and
 * enough API keys to stay under the 200-streams-per-credential cap, while bench.events signed log events go
 * into the run at bench.rate events/s and a prober times GET /health and GET /api/agents every 20 ms.
 * Reports both p99s (idle and under load), the JVM's threads and heap/RSS (the server runs in this JVM:
 * the subscriber threads and their buffers are counted too, the server's own threads are reported apart),
 * and whether every subscriber got every event in order.
 */
@Tag("bench")
class SseSubscribersBench {
    @TempDir
    Path dataDir;

    @Test
    void subscribers() throws Exception {
        int subscribers = Integer.getInteger("bench.subscribers", 1000);
        int events = Integer.getInteger("bench.events", 300);
        int rate = Integer.getInteger("bench.rate", 50);
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 600")))
                .start();
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            HijackedRun run = HijackedRun.start(s, "flood");
            String runId = run.id();
            String secret = run.secret();
            int startSeq = run.startSequence();
            int threadsIdle = Thread.activeCount();
            // 200 streams per credential: the owner token plus enough keys
            List<String> tokens = new ArrayList<>(List.of(TestServer.OWNER_TOKEN));
            while (tokens.size() * 180 < subscribers) {
                tokens.add(TestServer.json(s.post("/api/api-keys", "{\"name\":\"bench-" + tokens.size() + "\"}")).get("key").asText());
            }
            long[] idleHealth = probe(s, "/health", 100);
            long[] idleApi = probe(s, "/api/agents", 100);

            AtomicInteger benchThreads = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(subscribers + 3, r -> {
                benchThreads.incrementAndGet();
                Thread t = new Thread(null, r, "bench-client", 256 * 1024);
                t.setDaemon(true);
                return t;
            });
            CountDownLatch connected = new CountDownLatch(subscribers);
            List<CompletableFuture<SseCounter>> subs = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                URI sse = URI.create(s.url() + "/api/realtime/runs/" + runId + "?token=" + tokens.get(i % tokens.size())
                        + "&applicationId=" + s.defaultAppId() + "&channels=run_log&replay=false");
                subs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return SseCounter.read(sse, events, connected::countDown);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            if (!connected.await(120, TimeUnit.SECONDS)) {
                CompletableFuture<?> failed = subs.stream().filter(CompletableFuture::isCompletedExceptionally).findFirst().orElse(null);
                throw new IllegalStateException((subscribers - connected.getCount()) + " of " + subscribers + " connected"
                        + (failed == null ? "" : ": " + failed.handle((v, e) -> String.valueOf(e)).get()));
            }
            Thread.sleep(1000); // the subscriptions are registered once the ping went out

            AtomicBoolean sending = new AtomicBoolean(true);
            List<Long> health = new ArrayList<>();
            List<Long> api = new ArrayList<>();
            CompletableFuture<Void> prober = CompletableFuture.runAsync(() -> {
                while (sending.get()) {
                    health.add(probe(s, "/health", 1)[0]);
                    api.add(probe(s, "/api/agents", 1)[0]);
                    LockSupport.parkNanos(20_000_000);
                }
            }, pool);
            PipelinedSender sender = new PipelinedSender(URI.create(s.url()), "/api/runs/" + runId + "/events",
                    new StandardWebhookSignature(secret), 8, events);
            CompletableFuture<Void> answers = CompletableFuture.runAsync(() -> {
                try {
                    sender.readAnswers();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, pool);
            long t0 = System.nanoTime();
            long due = t0;
            int peakThreads = 0;
            long peakRss = 0;
            for (int i = 0; i < events; i++) {
                due += 1_000_000_000L / rate;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(Math.max(1000, due - System.nanoTime()));
                }
                sender.reserve();
                sender.send("{\"specversion\":\"1.0\",\"type\":\"log.written\",\"source\":\"/afps/runs/" + runId
                        + "\",\"id\":\"" + UUID.randomUUID() + "\",\"datacontenttype\":\"application/json\",\"data\":"
                        + "{\"level\":\"info\",\"message\":\"flood " + i + "\"},\"sequence\":" + (startSeq + 1 + i) + "}");
                if (i % 25 == 0) {
                    peakThreads = Math.max(peakThreads, Thread.activeCount());
                    peakRss = Math.max(peakRss, rssKb());
                }
            }
            sender.finish();
            answers.get(5, TimeUnit.MINUTES);
            List<String> problems = new ArrayList<>();
            int complete = 0;
            for (int i = 0; i < subscribers; i++) {
                try {
                    SseCounter c = subs.get(i).get(5, TimeUnit.MINUTES);
                    if (c.count == events && c.ascending && c.lastData.contains("\"message\":\"flood " + (events - 1) + "\"")) {
                        complete++;
                    } else if (problems.size() < 3) {
                        problems.add("subscriber " + i + " count=" + c.count + " ascending=" + c.ascending);
                    }
                } catch (Exception e) {
                    if (problems.size() < 3) {
                        problems.add("subscriber " + i + ": " + e);
                    }
                }
            }
            double deliverS = (System.nanoTime() - t0) / 1e9;
            sending.set(false);
            prober.get(1, TimeUnit.MINUTES);
            peakThreads = Math.max(peakThreads, Thread.activeCount());
            long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
            System.out.printf("BENCH sse-subscribers subscribers=%d credentials=%d events=%d rate=%d delivered_s=%.1f "
                            + "health_idle_p99_ms=%.1f api_idle_p99_ms=%.1f health_p50_ms=%.1f health_p99_ms=%.1f health_max_ms=%.1f "
                            + "api_p50_ms=%.1f api_p99_ms=%.1f api_max_ms=%.1f probes=%d jvm_threads_idle=%d jvm_threads_peak=%d "
                            + "bench_client_threads=%d server_side_threads=%d jvm_heap_used_mb=%d jvm_rss_peak_mb=%d "
                            + "complete_in_order=%d/%d load=%.1f problems=%s%n",
                    subscribers, tokens.size(), events, rate, deliverS, p(idleHealth, 0.99), p(idleApi, 0.99),
                    p(sorted(health), 0.5), p(sorted(health), 0.99), p(sorted(health), 1), p(sorted(api), 0.5),
                    p(sorted(api), 0.99), p(sorted(api), 1), health.size(), threadsIdle, peakThreads, benchThreads.get(),
                    peakThreads - benchThreads.get(), heapMb, peakRss >> 10, complete, subscribers,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), problems);
            sender.close();
            run.resume();
            pool.shutdownNow();
        }
    }

    /** n sequential authenticated GETs, each timed (ns), sorted. */
    private static long[] probe(TestServer s, String path, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            int code = s.get(path).statusCode();
            out[i] = System.nanoTime() - t;
            if (code != 200) {
                throw new IllegalStateException(path + " answered " + code);
            }
        }
        Arrays.sort(out);
        return out;
    }

    private static long[] sorted(List<Long> xs) {
        return xs.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static double p(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
    }

    private static long rssKb() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
