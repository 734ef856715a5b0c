package dev.appstrate.desktop.ui.logs;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Test-side instrumentation of a {@link LiveLogView}'s frame drain: lines shown since attached (what tests wait on and
 * benches count) and the longest drain's wall and FX-thread CPU time. Written on the FX thread, read from any.
 */
final class DrainProbe implements LiveLogView.DrainListener {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private volatile long shownTotal;
    private volatile long longestNanos;
    private volatile long longestCpuNanos;
    /** Summed FX-thread CPU and count of the drains that showed lines: the mean, which one slow frame does not hide. */
    private volatile long changedCpuNanos;
    private volatile long changedFrames;
    private long t0;
    private long c0;

    static DrainProbe on(LiveLogView view) {
        DrainProbe p = new DrainProbe();
        view.setDrainListener(p);
        return p;
    }

    @Override
    public void beforeDrain() {
        t0 = System.nanoTime();
        c0 = CPU.getCurrentThreadCpuTime();
    }

    @Override
    public void afterDrain(int linesShown) {
        longestNanos = Math.max(longestNanos, System.nanoTime() - t0);
        // CPU time is what the drain costs even when a busy machine preempts the FX thread
        long cpu = CPU.getCurrentThreadCpuTime() - c0;
        longestCpuNanos = Math.max(longestCpuNanos, cpu);
        if (linesShown > 0) {
            changedCpuNanos += cpu;
            changedFrames++;
        }
        shownTotal += linesShown;
    }

    /** Lines added to the shown list since the probe was attached. */
    long shownTotal() {
        return shownTotal;
    }

    long longestDrainNanos() {
        return longestNanos;
    }

    long longestDrainCpuNanos() {
        return longestCpuNanos;
    }

    /** Mean FX-thread CPU of the drains that showed lines since the last reset. */
    long meanChangedDrainCpuNanos() {
        return changedFrames == 0 ? 0 : changedCpuNanos / changedFrames;
    }

    /** FX thread. */
    void resetStalls() {
        longestNanos = 0;
        longestCpuNanos = 0;
        changedCpuNanos = 0;
        changedFrames = 0;
    }
}
