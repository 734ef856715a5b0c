package dev.appstrate.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One server per data folder: an OS file lock on {@code DATA_DIR/server.lock}, held for the server's
 * lifetime, whose content (pid, port) tells a second server who holds it. The OS drops the lock when
 * the holder dies, so a crash never leaves the folder locked.
 */
public final class DataFolderLock implements AutoCloseable {
    static final String FILE_NAME = "server.lock";
    // the lock covers one byte far past the content, so on Windows (mandatory locks) others can still read who holds it
    private static final long REGION = Long.MAX_VALUE - 1;

    // locks this JVM holds: opening and closing another descriptor of a locked file would drop its POSIX lock
    private static final Map<Path, DataFolderLock> HELD = new ConcurrentHashMap<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private volatile String port = "starting";

    private DataFolderLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or throws {@link DataFolderInUseException} naming the holder. */
    public static DataFolderLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Path key = file.toAbsolutePath().normalize();
        synchronized (HELD) {
            DataFolderLock mine = HELD.get(key);
            if (mine != null) {
                throw new DataFolderInUseException(dataDir.toString(), String.valueOf(ProcessHandle.current().pid()), mine.port);
            }
            DataFolderLock l = open(dataDir, file, key);
            HELD.put(key, l);
            return l;
        }
    }

    private static DataFolderLock open(Path dataDir, Path file, Path key) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ownerOnly(file);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open " + file + ": " + e.getMessage()
                    + ". Set DATA_DIR to a writable folder.", e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock(REGION, 1, false);
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another server in this same JVM
        } catch (IOException e) {
            closeQuietly(ch);
            throw new IllegalStateException("Cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            Properties holder = read(ch);
            closeQuietly(ch);
            throw new DataFolderInUseException(dataDir.toString(), holder.getProperty("pid", "unknown"),
                    holder.getProperty("port", "unknown"));
        }
        DataFolderLock l = new DataFolderLock(key, ch, lock);
        l.record("starting");
        return l;
    }

    /** Writes who holds the folder: this process and the port it listens on. */
    public void record(String port) {
        this.port = port;
        String text = "pid=" + ProcessHandle.current().pid() + "\nport=" + port + "\n";
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the data folder lock: " + e.getMessage(), e);
        }
    }

    private static Properties read(FileChannel ch) {
        Properties p = new Properties();
        try {
            ByteBuffer buf = ByteBuffer.allocate(256);
            ch.read(buf, 0);
            p.load(new java.io.StringReader(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException ignored) {
            // unreadable: the message says "unknown"
        }
        return p;
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not POSIX (Windows): the per-user profile folder restricts access
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing held
        }
    }

    @Override
    public void close() {
        synchronized (HELD) {
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel releases it too
            }
            closeQuietly(channel);
            HELD.remove(key, this);
        }
    }
}
