package dev.appstrate.server.runs.adapter;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Application class-data sharing for the runner JVM: the first run records the classes it loads
 * into an archive, later runs map it and start faster. The archive is keyed by the JDK and the
 * runner's classpath; it only works when the classpath is made of jars.
 */
final class RunnerClassData {
    private final Path archive;
    private final boolean usable;
    private final AtomicBoolean recording = new AtomicBoolean();

    RunnerClassData(Path dir, String classpath) {
        boolean jarsOnly = List.of(classpath.split(File.pathSeparator)).stream().allMatch(e -> e.endsWith(".jar"));
        this.usable = jarsOnly && !"false".equals(System.getProperty("appstrate.runner.cds"));
        this.archive = dir.resolve("runner-" + key(classpath) + ".jsa");
    }

    /** JVM flags for the next runner: use the archive, or record it (one run at a time), or nothing. */
    List<String> flags() {
        if (!usable) {
            return List.of();
        }
        if (Files.isRegularFile(archive)) {
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        }
        if (recording.compareAndSet(false, true)) {
            try {
                Files.createDirectories(archive.getParent());
            } catch (Exception e) {
                return List.of();
            }
            return List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        }
        return List.of();
    }

    private static String key(String classpath) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(System.getProperty("java.vm.version", "").getBytes(StandardCharsets.UTF_8));
            for (String entry : classpath.split(File.pathSeparator)) {
                Path p = Path.of(entry);
                md.update(entry.getBytes(StandardCharsets.UTF_8));
                md.update(String.valueOf(Files.getLastModifiedTime(p).toMillis()).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (Exception e) {
            return "default";
        }
    }
}
