package dev.appstrate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.testing.Await;
import dev.appstrate.server.testing.LiveServerProcess;
import dev.appstrate.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-user copy of the SQLite driver's native library: used only when it is ours alone and matches the jar. */
class SqliteNativeLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void theSecondBootLoadsTheCopyInsteadOfExtractingIntoTheTempFolder() throws Exception {
        Path cache = tmp.resolve("cache");
        Path temp = Files.createDirectories(tmp.resolve("java-tmp"));
        Map<String, String> extra = new HashMap<>();
        extra.put("DATABASE_URL", null); // SQLite: the copy is the embedded database's
        extra.put("XDG_CACHE_HOME", cache.toString());
        extra.put("LOG_LEVEL", "debug");
        extra.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + temp);
        Path record = cache.resolve("appstrate/sqlite-native").resolve(platform()).resolve(SqliteNativeLibrary.RECORD);
        try (LiveServerProcess first = LiveServerProcess.start(TestServer.env(tmp.resolve("data1"), extra))) {
            assertEquals(1, extracted(temp), "the first boot's driver extracts its library");
            waitFor(() -> Files.exists(record), first);
        }
        try (LiveServerProcess second = LiveServerProcess.start(TestServer.env(tmp.resolve("data2"), extra))) {
            assertTrue(second.output().contains("SQLite native library: verified copy"), second.output());
            assertEquals(0, extracted(temp), "nothing extracted:\n" + second.output());
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(second.url() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
        }
    }

    @Test
    void aCopyOthersCouldWriteOrReadIsNotUsed() throws Exception {
        Path dir = tmp.resolve("native");
        Path lib = SqliteNativeLibrary.store(dir, SqliteNativeLibrary.driverResource());
        assertEquals(lib, SqliteNativeLibrary.verifiedCopy(dir).orElseThrow());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lib)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));

        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxrw----"));
        assertTrue(SqliteNativeLibrary.verifiedCopy(dir).isEmpty(), "group-writable library");
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
        assertTrue(SqliteNativeLibrary.verifiedCopy(dir).isEmpty(), "group-writable folder");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(dir.resolve(SqliteNativeLibrary.RECORD), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertTrue(SqliteNativeLibrary.verifiedCopy(dir).isEmpty(), "world-writable record");
    }

    @Test
    void aCopyInsideAFolderAnotherUserCouldWriteIsNotUsedAndTheDriverLoadsByTheRealPath() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Path dir = shared.resolve("native");
        Path lib = SqliteNativeLibrary.store(dir, SqliteNativeLibrary.driverResource());
        assertEquals(lib, SqliteNativeLibrary.verifiedCopy(dir).orElseThrow());

        // whoever may write the parent can rename the checked folder away and plant another library at the same path
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(SqliteNativeLibrary.verifiedCopy(dir).isEmpty(), "a world-writable, non-sticky parent");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwx---"));
        assertTrue(SqliteNativeLibrary.verifiedCopy(dir).isEmpty(), "a group-writable parent");
        assertThrows(java.io.IOException.class, () -> SqliteNativeLibrary.store(shared.resolve("other"),
                SqliteNativeLibrary.driverResource()), "nothing is kept where it would not be used");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx------"));

        // reached through a link: the answer is the real path, so the later load cannot follow a re-pointed link
        Path link = Files.createSymbolicLink(tmp.resolve("via"), shared);
        assertEquals(lib.toRealPath(), SqliteNativeLibrary.verifiedCopy(link.resolve("native")).orElseThrow());
    }

    @Test
    void aCopyOfAnotherDriverOrALinkIsNotUsed() throws Exception {
        Path dir = tmp.resolve("native");
        Path lib = SqliteNativeLibrary.store(dir, SqliteNativeLibrary.driverResource());
        byte[] original = Files.readAllBytes(lib);
        Files.write(lib, java.util.Arrays.copyOf(original, original.length - 1));
        assertTrue(SqliteNativeLibrary.verifiedCopy(dir).isEmpty(), "a truncated copy");
        Files.write(lib, original);
        assertEquals(lib, SqliteNativeLibrary.verifiedCopy(dir).orElseThrow());
        Path record = dir.resolve(SqliteNativeLibrary.RECORD);
        String written = Files.readString(record);
        Files.writeString(record, written.replaceAll("crc=\\d+", "crc=12345"));
        assertTrue(SqliteNativeLibrary.verifiedCopy(dir).isEmpty(), "a record of another driver version");
        Files.writeString(record, written);

        Path elsewhere = tmp.resolve("elsewhere.so");
        Files.write(elsewhere, original);
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
        Files.delete(lib);
        Files.createSymbolicLink(lib, elsewhere);
        assertTrue(SqliteNativeLibrary.verifiedCopy(dir).isEmpty(), "a symbolic link");

        Files.delete(lib);
        assertTrue(SqliteNativeLibrary.verifiedCopy(dir).isEmpty(), "missing library");
        assertTrue(SqliteNativeLibrary.verifiedCopy(tmp.resolve("absent")).isEmpty(), "no cache at all");
    }

    @Test
    void serversStoringAtOnceLeaveOneCompleteCopy() throws Exception {
        Path dir = tmp.resolve("native");
        String resource = SqliteNativeLibrary.driverResource();
        List<CompletableFuture<Path>> stores = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stores.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return SqliteNativeLibrary.store(dir, resource);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<Path> s : stores) {
            s.join();
        }
        assertTrue(SqliteNativeLibrary.verifiedCopy(dir).isPresent());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, names.size(), names.toString());
            assertFalse(names.stream().anyMatch(n -> n.endsWith(".tmp")), names.toString());
        }
    }

    private static String platform() {
        return SqliteNativeLibrary.defaultDir().orElseThrow().getFileName().toString();
    }

    private static long extracted(Path temp) throws Exception {
        try (Stream<Path> files = Files.list(temp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("sqlite-")
                    && !p.getFileName().toString().endsWith(".lck")).count();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, LiveServerProcess server) throws Exception {
        Await.until(() -> "condition never met:\n" + server.output(), Await.PATIENCE, condition);
    }
}
