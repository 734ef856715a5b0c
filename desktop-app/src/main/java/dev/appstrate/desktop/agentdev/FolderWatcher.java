package dev.appstrate.desktop.agentdev;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches agent folders (and their sub-folders, e.g. skills/) with one {@link WatchService} on a thread of
 * the given executor; each burst of changes to a folder (an editor's save is often delete + create + modify)
 * is reported once, after {@code quietMillis} without further events.
 */
public final class FolderWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);
    private final WatchService watch;
    private final Consumer<Path> onChange;
    private final long quietMillis;
    private final Map<WatchKey, Path> roots = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public FolderWatcher(ExecutorService executor, long quietMillis, Consumer<Path> onChange) throws IOException {
        this.watch = FileSystems.getDefault().newWatchService();
        this.onChange = onChange;
        this.quietMillis = quietMillis;
        executor.execute(this::loop);
    }

    /** Starts watching {@code root} and every folder below it. */
    public void watch(Path root) {
        try (Stream<Path> dirs = Files.walk(root, 4)) {
            for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                if (!d.getFileName().toString().startsWith(".") || d.equals(root)) {
                    roots.put(d.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                            StandardWatchEventKinds.ENTRY_DELETE), root);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot watch agent folder path={} error={}", root, e.toString());
        }
    }

    public void unwatch(Path root) {
        roots.entrySet().removeIf(e -> {
            if (e.getValue().equals(root)) {
                e.getKey().cancel();
                return true;
            }
            return false;
        });
    }

    private void loop() {
        Map<Path, Boolean> pending = new java.util.LinkedHashMap<>();
        while (!closed) {
            try {
                WatchKey key = pending.isEmpty() ? watch.take() : watch.poll(quietMillis, TimeUnit.MILLISECONDS);
                if (key == null) {
                    pending.keySet().forEach(this::report);
                    pending.clear();
                    continue;
                }
                Path root = roots.get(key);
                Path dir = (Path) key.watchable();
                for (var ev : key.pollEvents()) {
                    if (ev.kind() == StandardWatchEventKinds.ENTRY_CREATE && ev.context() instanceof Path p
                            && Files.isDirectory(dir.resolve(p)) && root != null) {
                        watchNew(dir.resolve(p), root);
                    }
                }
                key.reset();
                if (root != null) {
                    pending.put(root, true);
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Agent folder watch failed error={}", e.toString());
            }
        }
    }

    private void watchNew(Path dir, Path root) {
        try {
            roots.put(dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE), root);
        } catch (IOException e) {
            LOG.debug("Cannot watch new folder path={} error={}", dir, e.toString());
        }
    }

    private void report(Path root) {
        try {
            onChange.accept(root);
        } catch (RuntimeException e) {
            LOG.warn("Agent folder change handler failed path={} error={}", root, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            watch.close();
        } catch (IOException e) {
            LOG.debug("Closing the folder watch failed error={}", e.toString());
        }
    }
}
