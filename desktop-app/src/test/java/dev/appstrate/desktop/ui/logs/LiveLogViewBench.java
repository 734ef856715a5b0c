package dev.appstrate.desktop.ui.logs;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Benchmark, not a test: {@code mvn -pl desktop-app test -Dbench.groups=bench -Dbench.excluded= -Dtest=LiveLogViewBench}.
 * Prints lines/s shown with follow on, the longest FX-thread stall while 100,000 lines stream, and the heap after 1,000,000.
 */
@Tag("bench")
@ExtendWith(ApplicationExtension.class)
class LiveLogViewBench {
    private LiveLogView view;
    private InMemoryLogSource source;
    private DrainProbe probe;
    private PulseRecorder recorder;
    private final AtomicLong longestGap = new AtomicLong();
    private final AtomicLong lastPulse = new AtomicLong();
    private final AtomicLong pulses = new AtomicLong();
    private final AtomicLong longestLayoutCpu = new AtomicLong();
    private long layoutCpuStart;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    /** The longest stop-the-world GC pause since the last reset (every pause also stops the FX thread). */
    private static final AtomicLong longestGcMillis = new AtomicLong();
    /** Stop-the-world collections and their summed pause since the last reset. */
    private static final AtomicLong gcCount = new AtomicLong();
    private static final AtomicLong gcPauseMillis = new AtomicLong();
    /** What the pauses copied (survivor space after + old generation growth): the pause work, whatever the machine's load. */
    private static final AtomicLong gcCopiedBytes = new AtomicLong();
    private static final com.sun.management.ThreadMXBean ALLOC = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    private volatile long fxThreadId;
    /** Bytes the producer thread allocated in the last stream (read before it ends: a dead thread's count is gone). */
    private volatile long producerBytes;

    static {
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            ((javax.management.NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (n.getType().equals(com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    com.sun.management.GarbageCollectionNotificationInfo info = com.sun.management.GarbageCollectionNotificationInfo
                            .from((javax.management.openmbean.CompositeData) n.getUserData());
                    if (!info.getGcAction().contains("concurrent") && !info.getGcName().contains("Concurrent")
                            && !info.getGcName().contains("ZGC")) { // ZGC on 17 reports its concurrent cycles only
                        longestGcMillis.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
                        gcCount.incrementAndGet();
                        gcPauseMillis.addAndGet(info.getGcInfo().getDuration());
                        gcCopiedBytes.addAndGet(copied(info.getGcInfo()));
                    }
                }
            }, null, null);
        }
    }

    private static long copied(com.sun.management.GcInfo gc) {
        long bytes = 0;
        for (String pool : gc.getMemoryUsageAfterGc().keySet()) {
            long after = gc.getMemoryUsageAfterGc().get(pool).getUsed();
            if (pool.contains("Survivor")) {
                bytes += after;
            } else if (pool.contains("Old") || pool.contains("Tenured")) {
                bytes += Math.max(0, after - gc.getMemoryUsageBeforeGc().get(pool).getUsed());
            }
        }
        return bytes;
    }

    /** CPU time of JavaFX's render thread (it draws the previous frame while the FX thread waits to start the next pulse). */
    private static long rendererCpu() {
        long total = 0;
        for (java.lang.management.ThreadInfo t : CPU.dumpAllThreads(false, false)) {
            if (t.getThreadName().startsWith("QuantumRenderer")) {
                total += Math.max(0, CPU.getThreadCpuTime(t.getThreadId()));
            }
        }
        return total;
    }

    /** Bytes allocated so far by each live thread, by id. */
    private static java.util.Map<Long, Long> allocatedByThread() {
        long[] ids = ALLOC.getAllThreadIds();
        long[] bytes = ALLOC.getThreadAllocatedBytes(ids);
        java.util.Map<Long, Long> m = new java.util.HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            m.put(ids[i], bytes[i]);
        }
        return m;
    }

    /** Allocation of one streamed phase: the FX thread's, the producer's and every other live thread's bytes. */
    private record Alloc(long fx, long producer, long others) {
        static Alloc between(java.util.Map<Long, Long> before, java.util.Map<Long, Long> after, long fxId, long producer) {
            long fx = 0;
            long others = 0;
            for (java.util.Map.Entry<Long, Long> e : after.entrySet()) {
                long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                if (e.getKey() == fxId) {
                    fx = d;
                } else {
                    others += d;
                }
            }
            return new Alloc(fx, producer, others);
        }

        String perLine(int lines) {
            return String.format("FX thread %,d B/line, producer %,d B/line, other threads %,d B/line, total %,d B/line",
                    fx / lines, producer / lines, others / lines, (fx + producer + others) / lines);
        }
    }

    @Start
    void start(Stage stage) {
        fxThreadId = Thread.currentThread().getId();
        view = new LiveLogView();
        source = new InMemoryLogSource();
        Scene scene = new Scene(view, 1200, 800);
        probe = new DrainProbe();
        recorder = PulseRecorder.on(view, scene, probe);
        dev.appstrate.desktop.ui.Theme.LIGHT.applyTo(scene);
        scene.addPreLayoutPulseListener(() -> layoutCpuStart = CPU.getCurrentThreadCpuTime());
        scene.addPostLayoutPulseListener(() -> {
            longestLayoutCpu.accumulateAndGet(CPU.getCurrentThreadCpuTime() - layoutCpuStart, Math::max);
            long now = System.nanoTime();
            pulses.incrementAndGet();
            long last = lastPulse.getAndSet(now);
            if (last != 0) {
                longestGap.accumulateAndGet(now - last, Math::max);
            }
        });
        stage.setScene(scene);
        stage.show();
        view.setSource(source);
    }

    /** values() copies the array: once per line it was a tenth of the bench producer's own garbage. */
    private static final LogLevel[] LEVELS = LogLevel.values();

    private static LogLine line(long id) {
        LogLevel level = LEVELS[(int) (id % 4)];
        return new LogLine(id, 1_700_000_000_000L + id, level, "log",
                "tool bash exited 0 after 12 ms; wrote 3 files to the workspace (line " + id + ")");
    }

    /** Streams {@code count} lines from a producer thread that paces itself at {@code perSecond} (0 = as fast as possible). */
    private double stream(long firstId, int count, int perSecond) throws Exception {
        // a marker in the output, so -Djavafx.pulseLogger=true's slow pulses can be told apart by phase
        System.err.printf("[bench-phase] %,d lines from id %,d at %s lines/s%n", count, firstId, perSecond == 0 ? "max" : perSecond);
        long shownBefore = probe.shownTotal();
        Thread producer = new Thread(() -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                source.push(line(firstId + i));
                if (perSecond > 0 && i % 1000 == 999) {
                    long due = t0 + (long) ((i + 1) * 1e9 / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
            }
            producerBytes = ALLOC.getCurrentThreadAllocatedBytes();
        }, "bench-producer");
        recorder.producer(producer);
        long t0 = System.nanoTime();
        producer.start();
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> probe.shownTotal() - shownBefore >= count);
        double seconds = (System.nanoTime() - t0) / 1e9;
        producer.join();
        return count / seconds;
    }

    @Test
    void liveLogViewThroughputStallsAndMemory() throws Exception {
        // warm-up so the JIT has compiled the paths
        stream(1, 50_000, 0);
        WaitForAsyncUtils.waitForFxEvents();
        resetGaps();
        long r0 = rendererCpu();
        long pulses0 = pulses.get();
        java.util.Map<Long, Long> a0 = allocatedByThread();
        double burst = stream(100_000, 100_000, 0);
        Alloc burstAlloc = Alloc.between(a0, allocatedByThread(), fxThreadId, producerBytes);
        String burstGcs = gcCount.get() + " collections, " + gcPauseMillis.get() + " ms paused, " + gcCopiedBytes.get() / 1048576 + " MB copied";
        long burstRender = (rendererCpu() - r0) / Math.max(1, pulses.get() - pulses0);
        long burstGc = longestGcMillis.get();
        long burstGap = longestGap.get();
        long burstDrain = probe.longestDrainNanos();
        long burstCpu = probe.longestDrainCpuNanos();
        long burstMeanCpu = probe.meanChangedDrainCpuNanos();
        long burstLayout = longestLayoutCpu.get();
        WaitForAsyncUtils.asyncFx(recorder::stop).get();
        java.util.List<String> burstPulses = recorder.report("burst", 5);
        resetGaps();
        r0 = rendererCpu();
        pulses0 = pulses.get();
        a0 = allocatedByThread();
        double paced = stream(200_000, 100_000, 50_000);
        Alloc pacedAlloc = Alloc.between(a0, allocatedByThread(), fxThreadId, producerBytes);
        String pacedGcs = gcCount.get() + " collections, " + gcPauseMillis.get() + " ms paused, " + gcCopiedBytes.get() / 1048576 + " MB copied";
        long pacedRender = (rendererCpu() - r0) / Math.max(1, pulses.get() - pulses0);
        long pacedGc = longestGcMillis.get();
        long pacedGap = longestGap.get();
        long pacedDrain = probe.longestDrainNanos();
        long pacedCpu = probe.longestDrainCpuNanos();
        long pacedMeanCpu = probe.meanChangedDrainCpuNanos();
        long pacedLayout = longestLayoutCpu.get();
        WaitForAsyncUtils.asyncFx(recorder::stop).get();
        java.util.List<String> pacedPulses = recorder.report("paced", 3);
        System.out.printf("[bench] 100,000 lines as fast as possible: %,.0f lines/s shown, longest FX pulse gap %.1f ms, "
                + "longest drain %.1f ms wall / %.1f ms FX-thread CPU, longest CSS+layout %.1f ms CPU%n", burst, burstGap / 1e6,
                burstDrain / 1e6, burstCpu / 1e6, burstLayout / 1e6);
        System.out.printf("[bench] 100,000 lines at 50,000 lines/s: %,.0f lines/s shown, longest FX pulse gap %.1f ms, "
                + "longest drain %.1f ms wall / %.1f ms FX-thread CPU, longest CSS+layout %.1f ms CPU%n", paced, pacedGap / 1e6,
                pacedDrain / 1e6, pacedCpu / 1e6, pacedLayout / 1e6);
        System.out.printf("[bench] what else holds a pulse: longest GC pause %d ms (burst) / %d ms (paced); render-thread CPU "
                + "per pulse %.1f ms (burst) / %.1f ms (paced)%n", burstGc, pacedGc, burstRender / 1e6, pacedRender / 1e6);
        System.out.printf("[bench] mean FX-thread CPU of a drain that showed lines: %.2f ms (burst) / %.2f ms (paced)%n",
                burstMeanCpu / 1e6, pacedMeanCpu / 1e6);
        System.out.printf("[bench] allocated, burst: %s; paced: %s%n", burstAlloc.perLine(100_000), pacedAlloc.perLine(100_000));
        System.out.printf("[bench] stop-the-world GC, burst: %s; paced: %s%n", burstGcs, pacedGcs);
        burstPulses.forEach(System.out::println);
        pacedPulses.forEach(System.out::println);
        long gcMaxPause = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMaxPause += gc.getCollectionCount();
        }
        System.out.printf("[bench] machine load average during the run: %.1f on %d cores; GC collections so far: %d%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors(), gcMaxPause);

        for (int k = 0; k < 10; k++) {
            stream(1_000_000L + k * 100_000L, 100_000, 0);
        }
        WaitForAsyncUtils.waitForFxEvents();
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        long used = rt.totalMemory() - rt.freeMemory();
        System.out.printf("[bench] after 1,000,000 more lines: %,d kept, heap used %.1f MB (whole test JVM), dropped %d; %s%n",
                view.keptLineCount(), used / 1048576.0, view.droppedLines(), rss());
    }

    /** The test JVM's resident set now and at its peak (Linux), what a collector's choice costs in memory. */
    private static String rss() throws java.io.IOException {
        java.nio.file.Path status = java.nio.file.Path.of("/proc/self/status");
        if (!java.nio.file.Files.exists(status)) {
            return "RSS unknown";
        }
        StringBuilder sb = new StringBuilder();
        for (String l : java.nio.file.Files.readAllLines(status)) {
            if (l.startsWith("VmRSS:") || l.startsWith("VmHWM:")) {
                sb.append(sb.length() == 0 ? "" : ", ").append(l.replaceAll("\\s+", " "));
            }
        }
        return sb.toString();
    }

    private void resetGaps() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            longestGap.set(0);
            lastPulse.set(0);
            longestLayoutCpu.set(0);
            probe.resetStalls();
            longestGcMillis.set(0);
            gcCount.set(0);
            gcPauseMillis.set(0);
            gcCopiedBytes.set(0);
            recorder.start();
        }).get();
    }
}
