package dev.appstrate.desktop.ui.logs;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javafx.scene.Scene;

/**
 * Per-pulse attribution for the live log bench: for every pulse (from one post-layout point to the next) the wall time,
 * the FX thread's CPU, how much of it was our drain and how much CSS+layout, the render thread's and the producer's CPU
 * in the same interval, the stop-the-world GC time and the JIT's compile time that fell in it. CPU counts are what the
 * machine's load changes least; the wall gap minus them says how long the FX thread waited (for the renderer, for a
 * pause, for a core). Records into preallocated arrays on the FX thread; read after a phase.
 */
final class PulseRecorder implements LiveLogView.DrainListener {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private static final int MAX = 16_384;
    /** nanoTime → wall clock, so a pulse can be found in a JFR recording or the pulse logger's output. */
    private static final long EPOCH_NANOS = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

    private final LiveLogView.DrainListener next;
    private final long[] end = new long[MAX];
    private final long[] gap = new long[MAX];
    private final long[] fxCpu = new long[MAX];
    private final long[] drainWall = new long[MAX];
    private final long[] drainCpu = new long[MAX];
    private final long[] toDrain = new long[MAX];
    private final long[] layoutWall = new long[MAX];
    private final long[] layoutCpu = new long[MAX];
    private final long[] renderCpu = new long[MAX];
    private final long[] producerCpu = new long[MAX];
    private final long[] gcMillis = new long[MAX];
    private final long[] gcCount = new long[MAX];
    private final long[] jitMillis = new long[MAX];
    private final int[] lines = new int[MAX];
    private int n;
    private boolean on;
    private volatile long producerId = -1;
    private long renderId = -1;

    private long lastEnd;
    private long lastFx;
    private long lastRender;
    private long lastProducer;
    private long lastProducerId = -1;
    private long lastGc;
    private long lastGcCount;
    private long lastJit;
    private long drainStart;
    private long drainStartCpu;
    private long curDrainWall;
    private long curDrainCpu;
    private long curToDrain;
    private int curLines;
    private long preLayout;
    private long preLayoutCpu;

    private PulseRecorder(LiveLogView.DrainListener next) {
        this.next = next;
    }

    /** Records the view's pulses in {@code scene}; {@code next} still gets the drain calls. */
    static PulseRecorder on(LiveLogView view, Scene scene, LiveLogView.DrainListener next) {
        PulseRecorder r = new PulseRecorder(next);
        view.setDrainListener(r);
        scene.addPreLayoutPulseListener(r::preLayout);
        scene.addPostLayoutPulseListener(r::postLayout);
        return r;
    }

    /** The thread whose CPU counts as the producer's (the source's reader). */
    void producer(Thread t) {
        producerId = t.getId();
    }

    @Override
    public void beforeDrain() {
        drainStart = System.nanoTime();
        drainStartCpu = CPU.getCurrentThreadCpuTime();
        curToDrain = lastEnd == 0 ? 0 : drainStart - lastEnd;
        next.beforeDrain();
    }

    @Override
    public void afterDrain(int linesShown) {
        next.afterDrain(linesShown);
        curDrainWall = System.nanoTime() - drainStart;
        curDrainCpu = CPU.getCurrentThreadCpuTime() - drainStartCpu;
        curLines = linesShown;
    }

    private void preLayout() {
        preLayout = System.nanoTime();
        preLayoutCpu = CPU.getCurrentThreadCpuTime();
    }

    private void postLayout() {
        long now = System.nanoTime();
        long fx = CPU.getCurrentThreadCpuTime();
        long render = renderCpuNow();
        // a finished producer reads -1: it used nothing more
        long pid = producerId;
        long producer = pid < 0 ? 0 : CPU.getThreadCpuTime(pid);
        if (producer < 0) {
            producer = lastProducer;
        }
        boolean sameProducer = pid == lastProducerId;
        lastProducerId = pid;
        long gc = 0;
        long gcs = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!b.getName().contains("Concurrent") && !b.getName().contains("ZGC")) {
                gc += b.getCollectionTime();
                gcs += b.getCollectionCount();
            }
        }
        long jit = JIT.getTotalCompilationTime();
        if (on && lastEnd != 0 && n < MAX) {
            end[n] = now;
            gap[n] = now - lastEnd;
            fxCpu[n] = fx - lastFx;
            drainWall[n] = curDrainWall;
            drainCpu[n] = curDrainCpu;
            toDrain[n] = curToDrain;
            layoutWall[n] = now - preLayout;
            layoutCpu[n] = fx - preLayoutCpu;
            renderCpu[n] = render - lastRender;
            producerCpu[n] = sameProducer ? producer - lastProducer : producer;
            gcMillis[n] = gc - lastGc;
            gcCount[n] = gcs - lastGcCount;
            jitMillis[n] = jit - lastJit;
            lines[n] = curLines;
            n++;
        }
        curDrainWall = 0;
        curDrainCpu = 0;
        curToDrain = 0;
        curLines = 0;
        lastEnd = now;
        lastFx = fx;
        lastRender = render;
        lastProducer = producer;
        lastGc = gc;
        lastGcCount = gcs;
        lastJit = jit;
    }

    private long renderCpuNow() {
        if (renderId < 0) {
            for (ThreadInfo t : CPU.dumpAllThreads(false, false)) {
                if (t.getThreadName().startsWith("QuantumRenderer")) {
                    renderId = t.getThreadId();
                }
            }
        }
        return renderId < 0 ? 0 : Math.max(0, CPU.getThreadCpuTime(renderId));
    }

    /** FX thread: starts a phase (forgets the previous one's pulses). */
    void start() {
        n = 0;
        on = true;
        lastEnd = 0; // like the bench's longest gap: the first pulse after a reset starts the count
    }

    /** FX thread: stops recording. */
    void stop() {
        on = false;
    }

    /** The {@code top} longest pulses of the phase and its first changed one, one line each, for the bench's output. */
    List<String> report(String phase, int top) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            idx.add(i);
        }
        idx.sort(Comparator.comparingLong((Integer i) -> gap[i]).reversed());
        List<String> out = new ArrayList<>();
        long changed = 0;
        long changedFx = 0;
        for (int i = 0; i < n; i++) {
            if (lines[i] > 0) {
                changed++;
                changedFx += fxCpu[i];
            }
        }
        out.add(String.format("[bench-pulse] %s: %d pulses, %d changed, mean FX CPU per changed pulse %.1f ms", phase, n,
                changed, changed == 0 ? 0 : changedFx / 1e6 / changed));
        for (int i = 0; i < n; i++) {
            if (lines[i] > 0) {
                out.add(row(phase + " first changed", i));
                break;
            }
        }
        for (int k = 0; k < Math.min(top, idx.size()); k++) {
            out.add(row(phase + " #" + (k + 1), idx.get(k)));
        }
        return out;
    }

    private String row(String label, int i) {
        return String.format("[bench-pulse] %s (pulse %d, ends %s): gap %.1f ms wall = %.1f before the drain + %.1f drain + "
                + "%.1f CSS/layout (+ rest); FX CPU %.1f ms (drain %.1f, CSS/layout %.1f), %,d lines; render CPU %.1f ms; "
                + "producer CPU %.1f ms; GC %d ms in %d; JIT %d ms", label, i,
                java.time.Instant.ofEpochSecond(0, EPOCH_NANOS + end[i]), gap[i] / 1e6, toDrain[i] / 1e6,
                drainWall[i] / 1e6, layoutWall[i] / 1e6, fxCpu[i] / 1e6, drainCpu[i] / 1e6, layoutCpu[i] / 1e6, lines[i],
                renderCpu[i] / 1e6, producerCpu[i] / 1e6, gcMillis[i], gcCount[i], jitMillis[i]);
    }
}
