package dev.appstrate.server.bench;

import static dev.appstrate.server.testing.RunFixtures.addModel;

import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.testing.TestServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest latency from a cold server as users run it: the server in its own process ({@code bench.server}, a command
 * line: by default this JVM's {@code java -jar target/appstrate-server.jar}; e.g. the installed
 * {@code /opt/appstrate-desktop/bin/appstrate-server}), the runner's {@link dev.appstrate.runner.EventSink} and 10 SSE
 * subscribers in this JVM. The client is warmed first against a throwaway server of the same command
 * ({@code bench.clientWarmup} events at the rate), so the measured figure is the server's cold start, not this JVM's:
 * then a fresh server starts, a run is taken over (as {@link LogFanoutBench} does) and {@code bench.events} events go
 * in at {@code bench.rate}/s, each timed from its emit to its answer. Reports p50/p99/max, p99 per
 * {@code bench.windowSeconds} and the events over 5 ms in each, the server process's CPU per event, and checks every
 * subscriber got every event in order. {@code bench.serverWarmup=N} sends N events to the measured server first, not
 * measured (the warm figure, as {@link LogFanoutBench}'s {@code bench.warmup}). {@code bench.latencyCsv=file} writes every event's emit time and latency, to line
 * the slow ones up with a JFR recording of the server (add {@code -XX:StartFlightRecording=...} to the command).
 */
@Tag("bench")
class ServerProcessLatencyBench {
    private static final long SLOW_NS = 5_000_000;

    @TempDir
    Path tmp;

    @Test
    void coldServerLatency() throws Exception {
        int events = Integer.getInteger("bench.events", 60_000);
        int rate = Integer.getInteger("bench.rate", 1000);
        int subscribers = Integer.getInteger("bench.subscribers", 10);
        int clientWarmup = Integer.getInteger("bench.clientWarmup", 20_000);
        int serverWarmup = Integer.getInteger("bench.serverWarmup", 0);
        long windowNs = TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.windowSeconds", 10));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = ServerProcess.command(System.getProperty("bench.server",
                javaBin + " -jar " + Path.of("target/appstrate-server.jar").toAbsolutePath()));
        ExecutorService pool = Executors.newFixedThreadPool(subscribers + 2);
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 600")))
                .start()) {
            if (clientWarmup > 0) {
                try (ServerProcess throwaway = ServerProcess.start(command, Files.createDirectories(tmp.resolve("throwaway")))) {
                    flood(throwaway, model, pool, subscribers, 0, clientWarmup, rate).sink.close();
                }
            }
            try (ServerProcess s = ServerProcess.start(command, Files.createDirectories(tmp.resolve("measured")))) {
                Result r = flood(s, model, pool, subscribers, serverWarmup, events, rate);
                long[] l = Arrays.stream(r.sink.latencies()).sorted().toArray();
                long[] due = Arrays.stream(r.sink.fromSchedule()).sorted().toArray();
                long rows = s.query("SELECT COUNT(*) FROM run_logs WHERE run_id=? AND message LIKE 'flood %'", r.run.id());
                System.out.printf("BENCH server-process-latency server=%s events=%d rate=%d subscribers=%d client_warmup=%d server_warmup=%d boot_ms=%d "
                                + "first_event_after_start_s=%.1f requests=%d p50/p99/max_ms=%.2f/%.2f/%.2f from_schedule_p99_ms=%.2f "
                                + "p99_ms/over_5ms_by_%ds=%s server_cpu_ms_to_first_event=%d server_cpu_us_per_event=%.0f server_cpu_ms_by_10s=%s rows=%d "
                                + "per_subscriber=%s in_order=%s load=%.1f%n",
                        String.join(" ", command), events, rate, subscribers, clientWarmup, serverWarmup, (s.healthyNanos - s.startedNanos) / 1_000_000,
                        (r.firstEventNanos - s.startedNanos) / 1e9, r.sink.requests(), l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6,
                        l[l.length - 1] / 1e6, due[(int) (due.length * 0.99)] / 1e6, windowNs / 1_000_000_000L, r.sink.byWindow(windowNs, SLOW_NS),
                        r.cpuBeforeNanos / 1_000_000, (r.cpuAfterNanos - r.cpuBeforeNanos) / 1e3 / events, r.serverCpuMsBy10s, rows, r.counts, r.problems.isEmpty() ? "yes" : r.problems,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                if (System.getProperty("bench.latencyCsv") != null) {
                    r.sink.writeCsv(Path.of(System.getProperty("bench.latencyCsv")));
                }
                r.sink.close();
                if (rows != events || !r.problems.isEmpty()) {
                    throw new AssertionError("not every event stored and delivered in order: rows=" + rows + " " + r.problems);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private record Result(HijackedRun run, SinkSender sink, long firstEventNanos, long cpuBeforeNanos, long cpuAfterNanos, List<Integer> counts,
                          List<String> problems, List<Long> serverCpuMsBy10s) {
    }

    /**
     * Takes a run over on {@code s}, follows it with the subscribers and sends {@code warmup} events (not measured), then
     * {@code events}, through the runner's sink at {@code rate}.
     */
    private static Result flood(ServerProcess s, ScriptedModelServer model, ExecutorService pool, int subscribers, int warmup, int events, int rate)
            throws Exception {
        addModel(s, "openai-compatible", model.baseUrl());
        HijackedRun run = HijackedRun.start(s, "flood");
        URI sse = URI.create(s.url() + "/api/realtime/runs/" + run.id() + "?token=" + TestServer.OWNER_TOKEN + "&applicationId="
                + s.defaultAppId() + "&channels=run_log&replay=false");
        List<CompletableFuture<SseCounter>> subs = SseCounter.subscribe(sse, subscribers, warmup + events, pool);
        SinkSender sink = SinkSender.open(URI.create(s.url()), run.id(), run.secret(), run.startSequence());
        if (warmup > 0) {
            sink.send("warm ", warmup, rate);
            sink.resetRequests();
        }
        long cpuBefore = s.cpuNanos();
        long first = System.nanoTime();
        // the server's CPU in each second of sending: the JIT's share shows as CPU above the steady state's
        AtomicBoolean sending = new AtomicBoolean(true);
        List<Long> cpuBySecond = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
            long due = first;
            while (sending.get()) {
                due += 1_000_000_000L;
                while (sending.get() && System.nanoTime() < due) {
                    LockSupport.parkNanos(Math.max(1000, due - System.nanoTime()));
                }
                cpuBySecond.add(s.cpuNanos());
            }
        }, pool);
        sink.send(events, rate);
        long cpuAfter = s.cpuNanos();
        sending.set(false);
        sampler.get(1, TimeUnit.MINUTES);
        List<Integer> counts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            SseCounter c = subs.get(i).get(5, TimeUnit.MINUTES);
            counts.add(c.count);
            if (!c.ascending || !c.lastData.contains("\"message\":\"flood " + (events - 1) + "\"")) {
                problems.add("subscriber " + i + " ascending=" + c.ascending + " last=" + c.lastData);
            }
        }
        List<Long> cpuMs = new ArrayList<>();
        long prev = cpuBefore;
        for (int i = 0; i + 1 < cpuBySecond.size(); i += 10) { // whole 10 s windows
            long at = cpuBySecond.get(Math.min(i + 9, cpuBySecond.size() - 1));
            cpuMs.add((at - prev) / 1_000_000);
            prev = at;
        }
        return new Result(run, sink, first, cpuBefore, cpuAfter, counts, problems, cpuMs);
    }
}
