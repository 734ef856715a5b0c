package dev.appstrate.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A verified per-user copy of sqlite-jdbc's native library, so a boot loads it instead of the driver extracting it to
 * the temp folder every time (which also forks {@code uname -o} and compares the copy byte by byte). The copy is used only
 * when its folder and files are owned by this user with no group/other permissions (nobody else can have written them),
 * no folder above it lets another user swap it (owned by this user or root, others' write only with the sticky bit),
 * and its record names the CRC-32 and size of the driver's entry in this jar (the CRC checked when the copy was written);
 * otherwise the driver extracts as before. The copy is written after the
 * first 200 from the resource the driver itself resolves, through a temporary file and an atomic rename, so two servers
 * starting at once read either nothing or a complete file. POSIX file systems only (elsewhere: the driver's extraction).
 */
public final class SqliteNativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteNativeLibrary.class);
    static final String LIB_PATH = "org.sqlite.lib.path";
    static final String LIB_NAME = "org.sqlite.lib.name";
    static final String RECORD = "library.properties";
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> LIB = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static volatile boolean fromCache;
    private static boolean decided;
    private static boolean remembered;

    private SqliteNativeLibrary() {
    }

    /** Before the driver loads (the first SQLite open): points it at the verified cached copy when there is one. */
    static synchronized void preferCachedCopy() {
        if (decided) {
            return;
        }
        decided = true;
        if (System.getProperty(LIB_PATH) != null) {
            return; // the user chose a library
        }
        Optional<Path> dir = defaultDir();
        if (dir.isEmpty()) {
            return;
        }
        try {
            Optional<Path> lib = verifiedCopy(dir.get());
            if (lib.isPresent()) {
                System.setProperty(LIB_PATH, lib.get().getParent().toString());
                System.setProperty(LIB_NAME, lib.get().getFileName().toString());
                fromCache = true;
                LOG.debug("SQLite native library: verified copy path={}", lib.get());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("SQLite native library: no usable copy, the driver extracts it reason={}", e.toString());
        }
    }

    /** After the first 200, when this boot's driver extracted the library: keeps a copy for the next boots. */
    public static void rememberForNextBoot() {
        synchronized (SqliteNativeLibrary.class) {
            if (remembered || fromCache || System.getProperty(LIB_PATH) != null) {
                return;
            }
            remembered = true;
        }
        Optional<Path> dir = defaultDir();
        if (dir.isEmpty()) {
            return;
        }
        try {
            store(dir.get(), driverResource());
        } catch (IOException | RuntimeException e) {
            LOG.info("SQLite native library not cached (the driver extracts it on each boot) dir={} reason={}", dir.get(),
                    e.toString());
        }
    }

    /** The driver's own resolution of its library (the same as its extraction; forks {@code uname -o}, hence not at boot). */
    static String driverResource() {
        return org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath() + "/"
                + org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
    }

    /** The per-user cache folder for this OS and architecture; empty where there is none or it is not POSIX. */
    static Optional<Path> defaultDir() {
        String os = System.getProperty("os.name", "");
        String home = System.getProperty("user.home", "");
        if (os.startsWith("Windows") || home.isEmpty() || home.equals("?")) {
            return Optional.empty();
        }
        Path root;
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (os.startsWith("Mac")) {
            root = Path.of(home, "Library", "Caches", "appstrate");
        } else if (xdg != null && Path.of(xdg).isAbsolute()) {
            root = Path.of(xdg, "appstrate");
        } else {
            root = Path.of(home, ".cache", "appstrate");
        }
        String platform = (os + "-" + System.getProperty("os.arch", "")).replaceAll("[^A-Za-z0-9_.-]", "");
        return Optional.of(root.resolve("sqlite-native").resolve(platform));
    }

    /**
     * The cached library in dir when dir, its record and the library are this user's alone (so nobody else wrote them),
     * and the record names this jar's driver entry (its CRC-32, checked when the copy was written) and its size.
     */
    static Optional<Path> verifiedCopy(Path given) throws IOException {
        Path dir;
        try {
            dir = given.toRealPath(); // the driver loads by this path: no link in it another user could re-point
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (ownerOnly(dir, true).isEmpty() || !safeAncestors(dir)) {
            return Optional.empty();
        }
        Path record = dir.resolve(RECORD);
        if (ownerOnly(record, false).isEmpty()) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(record, NO_FOLLOW)) {
            p.load(in);
        }
        String resource = p.getProperty("resource");
        String file = p.getProperty("file");
        if (resource == null || file == null || file.contains("/") || file.contains("\\")) {
            return Optional.empty();
        }
        Optional<JarEntry> entry = jarEntry(resource);
        Path lib = dir.resolve(file);
        Optional<PosixFileAttributes> libAttributes = ownerOnly(lib, false);
        boolean matches = entry.isPresent() && libAttributes.isPresent()
                && String.valueOf(entry.get().getCrc()).equals(p.getProperty("crc"))
                && libAttributes.get().size() == entry.get().getSize();
        return matches ? Optional.of(lib) : Optional.empty();
    }

    /** Copies the driver's resource into dir (created owner-only) and records it; atomic renames, safe to race. */
    static Path store(Path dir, String resource) throws IOException {
        long expected = jarEntry(resource).orElseThrow(() -> new IOException("not in a jar: " + resource)).getCrc();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
        if (ownerOnly(dir, true).isEmpty() || !safeAncestors(dir.toRealPath())) {
            throw new IOException("not owner-only or inside a folder others may write: " + dir);
        }
        String name = Long.toHexString(expected) + "-" + resource.substring(resource.lastIndexOf('/') + 1);
        Path lib = dir.resolve(name);
        Path tmp = Files.createTempFile(dir, "lib-", ".tmp", PosixFilePermissions.asFileAttribute(LIB));
        try {
            CRC32 crc = new CRC32();
            try (InputStream in = SqliteNativeLibrary.class.getResourceAsStream(resource); OutputStream out = Files.newOutputStream(tmp)) {
                if (in == null) {
                    throw new IOException("no resource " + resource);
                }
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    crc.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            if (crc.getValue() != expected) {
                throw new IOException("copy does not match the jar: " + resource);
            }
            Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Properties p = new Properties();
            p.setProperty("resource", resource);
            p.setProperty("crc", String.valueOf(expected));
            p.setProperty("file", name);
            tmp = Files.createTempFile(dir, "record-", ".tmp", PosixFilePermissions.asFileAttribute(FILE));
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "sqlite-jdbc native library, verified against the jar at each boot");
            }
            Files.move(tmp, dir.resolve(RECORD), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        removeOthers(dir, name);
        LOG.debug("SQLite native library: copy kept for the next boots path={}", lib);
        return lib;
    }

    // earlier drivers' copies (one being loaded elsewhere right now is mapped already, or that load falls back) and
    // temporary files a killed server left; another server's copy in progress is younger than a minute
    private static void removeOthers(Path dir, String keep) throws IOException {
        long staleBefore = System.currentTimeMillis() - 60_000;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                try {
                    boolean stale = !n.endsWith(".tmp") || Files.getLastModifiedTime(f, NO_FOLLOW).toMillis() < staleBefore;
                    if (!n.equals(keep) && !n.equals(RECORD) && stale) {
                        Files.deleteIfExists(f);
                    }
                } catch (NoSuchFileException renamedMeanwhile) {
                    // another server's copy just moved into place
                }
            }
        }
    }

    /** The resource's entry in the jar's central directory (CRC-32 and size, known without inflating it). */
    static Optional<JarEntry> jarEntry(String resource) throws IOException {
        URL url = SqliteNativeLibrary.class.getResource(resource);
        if (url == null) {
            return Optional.empty();
        }
        URLConnection c = url.openConnection();
        if (!(c instanceof JarURLConnection jar)) {
            return Optional.empty();
        }
        JarEntry entry = jar.getJarEntry();
        return entry.getCrc() < 0 || entry.getSize() < 0 ? Optional.empty() : Optional.of(entry);
    }

    // every folder above dir (a real path) is this user's or root's, and others may write to it only when it is sticky
    // (/tmp): else its owner could rename the verified folder away and put another library at the same path before the load
    private static boolean safeAncestors(Path dir) throws IOException {
        String user = System.getProperty("user.name");
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, NO_FOLLOW);
            String owner = a.owner().getName();
            if (!owner.equals(user) && !owner.equals("root")) {
                return false;
            }
            Set<PosixFilePermission> perms = a.permissions();
            boolean othersWrite = perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE);
            if (othersWrite && !sticky(p)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sticky(Path p) {
        try {
            return (((Integer) Files.getAttribute(p, "unix:mode", NO_FOLLOW)) & 01000) != 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false; // no unix view: treated as not sticky, the driver extracts as before
        }
    }

    // its attributes when it is a directory (or a regular file), not a link, owned by this user (the name the JVM reports
    // for it) and nothing for group or others; empty otherwise, also when it is absent
    private static Optional<PosixFileAttributes> ownerOnly(Path p, boolean directory) throws IOException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(p, PosixFileAttributes.class, NO_FOLLOW);
        } catch (NoSuchFileException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        if ((directory ? !a.isDirectory() : !a.isRegularFile()) || !a.owner().getName().equals(System.getProperty("user.name"))) {
            return Optional.empty();
        }
        for (PosixFilePermission perm : a.permissions()) {
            if (!perm.name().startsWith("OWNER_")) {
                return Optional.empty();
            }
        }
        return Optional.of(a);
    }
}
