package dev.appstrate.server.runs.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that crashed between starting a runner and writing its pidfile still gets that runner killed at the next boot. */
class OrphanRunnerSweepTest {
    @TempDir
    Path runsDir;

    @Test
    void aRunnerWithoutPidfileIsFoundByItsRunFolderAndKilled() throws Exception {
        Path runDir = Files.createDirectories(runsDir.resolve("run_orphan"));
        Process orphan = new ProcessBuilder("sh", "-c", "sleep 60", ProcessRunAdapter.RUN_DIR_FLAG + runDir.toAbsolutePath()).start();
        Process stranger = new ProcessBuilder("sh", "-c", "sleep 60", ProcessRunAdapter.RUN_DIR_FLAG + runsDir.resolve("elsewhere")).start();
        try {
            ProcessRunAdapter adapter = new ProcessRunAdapter(runsDir);
            assertEquals(1, adapter.cleanupOrphans(Set.of()));
            assertTrue(orphan.waitFor(10, TimeUnit.SECONDS), "orphan runner still alive");
            assertTrue(stranger.isAlive(), "a process of no run folder of ours was killed");
        } finally {
            orphan.destroyForcibly();
            stranger.destroyForcibly();
        }
    }

    @Test
    void aKeptRunIsLeftAlone() throws Exception {
        Path runDir = Files.createDirectories(runsDir.resolve("run_kept"));
        Process runner = new ProcessBuilder("sh", "-c", "sleep 60", ProcessRunAdapter.RUN_DIR_FLAG + runDir.toAbsolutePath()).start();
        try {
            assertEquals(0, new ProcessRunAdapter(runsDir).cleanupOrphans(Set.of("run_kept")));
            assertFalse(runner.waitFor(300, TimeUnit.MILLISECONDS));
        } finally {
            runner.destroyForcibly();
        }
    }
}
