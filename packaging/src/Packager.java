// Over 400 lines on purpose: a single-file program (`java Packager.java`) so the same steps run on every OS without a build.
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Builds the installed app from the shaded jar, with the JDK's own tools (run by `mvn -Ppackage install`,
 * see packaging/README.md): jdeps → jlink (trimmed runtime) → jpackage app-image → the class list for
 * class-data sharing → jpackage installers → SHA256SUMS (+ minisign signatures when a key is given).
 * A single-file program (`java Packager.java …`) so the same steps run on Linux, Windows and macOS.
 */
public final class Packager {
    /** Runtime modules no static analysis finds: TLS to model providers (EC ciphers), zip file systems, DNS. */
    static final List<String> EXTRA_MODULES = List.of("jdk.crypto.ec", "jdk.zipfs");
    static final String CLASS_LIST = "appstrate.classlist";
    /**
     * The ahead-of-time caches (JDK 25+ runtimes), made at build time beside the jar; they survive installation anywhere.
     * A cache only serves JVMs with the options it was trained with (collector, compressed oops): the headless server and
     * the terminal command (serial collector) share one, the window (generational ZGC, launcher-jdk25.args) has its own.
     */
    static final String AOT_CACHE = "appstrate.aot";
    static final String WINDOW_AOT_CACHE = "appstrate-desktop.aot";
    /**
     * JVM options every launcher gets with a JDK 25+ runtime, after its cache: native access (SQLite's and JavaFX's
     * libraries) and JavaFX 21's off-heap arrays (sun.misc.Unsafe) allowed, which JDK 24+ would otherwise warn about on
     * every start; the JVM's own warnings (a cache that no longer matches, say) on stderr, never in `appstrate run`'s
     * JSON on stdout.
     */
    static final List<String> JDK25_RUNTIME_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Xlog:all=off:stdout", "-Xlog:all=warning:stderr");
    /** The window launcher's options added for a JDK 25+ runtime only (generational ZGC; JDK 17's ZGC is the old one). */
    static final String WINDOW_JDK25_ARGS = "launcher-jdk25.args";
    static final String SERVER_LAUNCHER = "appstrate-server";
    /** The terminal command for agent folders; only the desktop jar has it. */
    static final String COMMAND_LAUNCHER = "appstrate";

    final Map<String, String> opt;
    final Path root;
    final Path out;
    final Path jpackageDir;
    final String os;
    final Path jdkBin = Path.of(System.getProperty("java.home"), "bin");
    /** The JDK whose jlink makes the bundled runtime: a JDK 25+ when there is one (its AOT cache starts the app sooner), else the build's. */
    Path runtimeJdk;
    int runtimeVersion;

    Packager(Map<String, String> opt) {
        this.opt = opt;
        this.root = Path.of(opt.getOrDefault("root", ".")).toAbsolutePath().normalize();
        this.out = Path.of(opt.getOrDefault("out", root.resolve("packaging/target").toString())).toAbsolutePath().normalize();
        this.jpackageDir = root.resolve("packaging/jpackage");
        this.os = opt.getOrDefault("os", detectOs());
        this.runtimeJdk = runtimeJdk(opt.getOrDefault("runtime-jdk", ""), os);
        this.runtimeVersion = javaVersion(runtimeJdk);
        // checked here, not where it is read: that is on the JDK 25 path only, and a typo elsewhere would pass unseen
        String training = opt.getOrDefault("aot-training", "");
        if (!List.of("", "auto", "headless").contains(training)) {
            throw new IllegalArgumentException("--aot-training is auto (the default) or headless, got " + training);
        }
    }

    /**
     * The JDK for the runtime: the one named (-Djpackage.runtime.jdk), else the newest JDK 25+ in /usr/lib/jvm on
     * Linux, else the JDK running this build. The app is compiled for 17 and runs on either; users never see which.
     */
    static Path runtimeJdk(String named, String os) {
        if (!named.isBlank()) {
            return Path.of(named).toAbsolutePath();
        }
        Path build = Path.of(System.getProperty("java.home"));
        Path jvms = Path.of("/usr/lib/jvm");
        if (!os.equals("linux") || !Files.isDirectory(jvms)) {
            return build;
        }
        try (Stream<Path> s = Files.list(jvms)) {
            return s.filter(j -> Files.isExecutable(j.resolve("bin/jlink")) && javaVersion(j) >= 25)
                    .max(Comparator.comparingInt(Packager::javaVersion)).orElse(build);
        } catch (IOException e) {
            return build;
        }
    }

    /** The feature version in a JDK's release file (JAVA_VERSION="25.0.3" → 25); 0 when unreadable. */
    static int javaVersion(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** A JDK 25+ runtime (Linux only: the other systems' installers are built and smoke-tested with the build's JDK 17). */
    boolean jdk25Runtime() {
        return os.equals("linux") && runtimeVersion >= 25;
    }

    /** A JDK 25+ runtime gets ahead-of-time caches made at build time instead of the JDK 17 archive postinst makes. */
    boolean aotCache() {
        return jdk25Runtime() && !"false".equals(opt.get("cds"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("arguments are --key=value, got " + a);
            }
            opt.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        new Packager(opt).run();
    }

    /** The app's jar and how its two faces start. */
    record App(Path jar, String mainClass, String headlessArg) {
    }

    void run() throws Exception {
        if (opt.containsKey("sign-dir")) {
            // installers made elsewhere (one CI job per OS): checksum and sign them together
            checksumAndSign(Path.of(opt.get("sign-dir")).toAbsolutePath());
            return;
        }
        App app = selectApp();
        String name = opt.getOrDefault("name", "appstrate-desktop");
        String version = opt.getOrDefault("version", "0.1.0").replace("-SNAPSHOT", "");
        log("app jar " + root.relativize(app.jar()) + " (main " + app.mainClass() + "), " + os + ", version " + version);

        Path input = clean(out.resolve("input"));
        copyWithoutForeignNatives(app.jar(), input.resolve(app.jar().getFileName()));

        TreeSet<String> modules = new TreeSet<>(List.of(exec(List.of(tool("jdeps"), "--print-module-deps", "--ignore-missing-deps",
                "--multi-release", "17", input.resolve(app.jar().getFileName()).toString())).strip().split(",")));
        modules.addAll(EXTRA_MODULES);
        Files.writeString(out.resolve("runtime-modules.txt"), String.join("\n", modules) + "\n");
        phase("runtime modules: " + String.join(",", modules));

        Path runtime = out.resolve("runtime");
        deleteTree(runtime);
        // --generate-cds-archive: the runtime's own CDS archive, without which every JVM it starts (server and
        // agent runners) would load the JDK's classes from scratch
        try {
            jlink(modules, runtime);
        } catch (IllegalStateException e) {
            Path build = Path.of(System.getProperty("java.home"));
            if (runtimeJdk.equals(build)) {
                throw e;
            }
            // e.g. a JDK whose jlink cannot link (no jmods, not built to link from its own image): the build's JDK does
            log("jlink of JDK " + runtimeVersion + " (" + runtimeJdk + ") failed, the build's JDK makes the runtime:\n" + e.getMessage());
            runtimeJdk = build;
            runtimeVersion = javaVersion(build);
            deleteTree(runtime);
            jlink(modules, runtime);
        }
        slimRuntime(runtime);
        phase("runtime " + mb(size(runtime)) + " MB (JDK " + runtimeVersion + " from " + runtimeJdk + ")");

        Path imageParent = clean(out.resolve("app-image"));
        Path launcherProps = out.resolve(SERVER_LAUNCHER + ".properties");
        Files.writeString(launcherProps, withRuntimeOptions(AOT_CACHE, Files.readString(jpackageDir.resolve(SERVER_LAUNCHER + ".properties"))
                .replace("@MAIN_CLASS@", app.mainClass()).replace("@HEADLESS_ARG@", app.headlessArg())));
        List<String> image = new ArrayList<>(List.of(tool("jpackage"), "--type", "app-image", "--name", name,
                "--app-version", version, "--dest", imageParent.toString(), "--runtime-image", runtime.toString(),
                "--input", input.toString(), "--main-jar", app.jar().getFileName().toString(),
                "--main-class", app.mainClass(), "--add-launcher", SERVER_LAUNCHER + "=" + launcherProps,
                "@" + jpackageDir.resolve("common.args"), "@" + jpackageDir.resolve("launcher.args")));
        if (jdk25Runtime()) {
            image.add("@" + jpackageDir.resolve(WINDOW_JDK25_ARGS));
        }
        for (String o : runtimeOptions(WINDOW_AOT_CACHE)) {
            image.addAll(List.of("--java-options", o));
        }
        if (app.mainClass().equals("dev.appstrate.desktop.Launcher")) {
            Path commandProps = out.resolve(COMMAND_LAUNCHER + ".properties");
            Files.writeString(commandProps, withRuntimeOptions(AOT_CACHE, Files.readString(jpackageDir.resolve(COMMAND_LAUNCHER + ".properties"))
                    .replace("@MAIN_CLASS@", app.mainClass())));
            image.addAll(List.of("--add-launcher", COMMAND_LAUNCHER + "=" + commandProps));
        }
        Path osImageArgs = jpackageDir.resolve(os + "-app-image.args");
        if (Files.isRegularFile(osImageArgs)) {
            image.add("@" + osImageArgs);
        }
        image.addAll(iconArgs());
        exec(image);
        Path appImage = imageParent.resolve(os.equals("mac") ? name + ".app" : name);
        phase("app-image made");
        Path appDir = appDir(appImage);
        if (os.equals("linux")) {
            scriptLaunchers(appImage, appDir);
        }

        // one modification time for the jar, in whole seconds: the AOT cache records it, and every installer must carry it
        long epoch = buildEpoch();
        Path appJar = appDir.resolve(app.jar().getFileName().toString());
        Files.setLastModifiedTime(appJar, FileTime.from(epoch, TimeUnit.SECONDS));
        if (aotCache()) {
            // each cache trained with the JVM options of a launcher that names it (read from its .cfg)
            trainAotCache(appImage, appJar, app, appDir.resolve(SERVER_LAUNCHER + ".cfg"), appDir.resolve(AOT_CACHE), false);
            trainAotCache(appImage, appJar, app, appDir.resolve(name + ".cfg"), appDir.resolve(WINDOW_AOT_CACHE), windowTraining(app));
        } else if (!"false".equals(opt.get("cds"))) {
            recordClassList(appImage, appJar, app, appDir.resolve(CLASS_LIST));
        }
        log("app-image " + appImage + ": " + mb(size(appImage)) + " MB");

        Path installers = clean(out.resolve("installers"));
        for (String type : opt.getOrDefault("types", "").split(",")) {
            if (type.isBlank()) {
                continue;
            }
            if (type.equals("rpm") && !onPath("rpmbuild")) {
                log("rpm skipped: rpmbuild is not installed");
                continue;
            }
            List<String> cmd = new ArrayList<>(List.of(tool("jpackage"), "--type", type, "--app-image", appImage.toString(),
                    "--name", name, "--app-version", version, "--dest", installers.toString(),
                    "@" + jpackageDir.resolve("common.args"), "@" + jpackageDir.resolve(os + ".args")));
            Path typeArgs = jpackageDir.resolve(os + "-" + type + ".args");
            if (Files.isRegularFile(typeArgs)) {
                cmd.add("@" + typeArgs);
            }
            cmd.addAll(iconArgs());
            Path resources = jpackageDir.resolve("resources-" + os);
            if (type.equals("rpm")) {
                resources = rpmResources(resources, epoch);
            }
            if (Files.isDirectory(resources)) {
                cmd.addAll(List.of("--resource-dir", resources.toString()));
            }
            // jpackage copies the app-image without its times; dpkg-deb clamps every newer time to SOURCE_DATE_EPOCH (the .rpm's
            // spec does it itself), so the installed jar keeps the time the AOT cache was made with (else a JVM that checks it
            // refuses the cache: "timestamp has changed")
            exec(cmd, Map.of("SOURCE_DATE_EPOCH", String.valueOf(epoch)));
            phase(type + " made");
        }
        checksumAndSign(installers);
    }

    /**
     * The .rpm's resources: the Linux ones plus jpackage's own spec (read from the running JDK, whose jpackage builds the
     * .rpm, so its placeholders match) whose install step sets every copied file's newer time back to the build's. rpm
     * installs the times its package records, and rpmbuild clamps them to SOURCE_DATE_EPOCH only with
     * %clamp_mtime_to_source_date_epoch (rpm 4.14+, off by default): the spec does what dpkg-deb does, on any rpmbuild.
     */
    Path rpmResources(Path linux, long epoch) throws IOException {
        Path dir = clean(out.resolve("rpm-resources"));
        if (Files.isDirectory(linux)) {
            try (Stream<Path> files = Files.list(linux)) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        }
        String spec = Files.readString(FileSystems.getFileSystem(URI.create("jrt:/"))
                .getPath("/modules/jdk.jpackage/jdk/jpackage/internal/resources/template.spec"));
        String copy = "cp -r %{_sourcedir}APPLICATION_DIRECTORY/* %{buildroot}APPLICATION_DIRECTORY\n";
        if (!spec.contains(copy)) {
            throw new IllegalStateException("jpackage's rpm spec no longer copies the app-image with '" + copy.trim()
                    + "': the .rpm would not keep the jar's time, which its AOT cache records");
        }
        // jpackage looks for <package name>.spec in --resource-dir (linux.args: --linux-package-name appstrate-desktop)
        Files.writeString(dir.resolve("appstrate-desktop.spec"), spec.replace(copy, copy
                + "find %{buildroot}APPLICATION_DIRECTORY -newermt @" + epoch + " -exec touch -h -d @" + epoch + " {} +\n"));
        return dir;
    }

    /** The desktop app once it is built (GUI by default, --headless for the server); else the headless server alone. */
    App selectApp() {
        Path desktop = root.resolve("desktop-app/target/appstrate-desktop.jar");
        if (Files.isRegularFile(desktop) && !"server".equals(opt.get("app"))) {
            return new App(desktop, "dev.appstrate.desktop.Launcher", "--headless");
        }
        Path server = root.resolve("embedded-server/target/appstrate-server.jar");
        if (!Files.isRegularFile(server)) {
            throw new IllegalStateException("no app jar: build embedded-server (and desktop-app) first, " + server + " is missing");
        }
        return new App(server, "dev.appstrate.server.Main", "");
    }

    /**
     * The jar as shipped, minus the native libraries of the SQLite driver and of JNA (docker-java's
     * Unix-socket transport) built for other systems, about 25 MB uncompressed: the bundled runtime only
     * ever runs on this OS and architecture.
     */
    void copyWithoutForeignNatives(Path from, Path to) throws IOException {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> System.getProperty("os.arch");
        };
        String sqlite = "org/sqlite/native/" + switch (os) {
            case "windows" -> "Windows";
            case "mac" -> "Mac";
            default -> "Linux";
        } + "/" + arch + "/";
        String jna = "com/sun/jna/" + switch (os) {
            case "windows" -> "win32";
            case "mac" -> "darwin";
            default -> "linux";
        } + "-" + arch.replace('_', '-') + "/";
        Pattern jnaNative = Pattern.compile("com/sun/jna/[a-z0-9]+-[a-z0-9-]+/.*");
        int dropped = 0;
        try (ZipFile zip = new ZipFile(from.toFile())) {
            boolean sqliteHere = zip.stream().anyMatch(e -> e.getName().startsWith(sqlite));
            boolean jnaHere = zip.stream().anyMatch(e -> e.getName().startsWith(jna));
            try (ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(to))) {
                for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                    String n = e.getName();
                    boolean foreign = sqliteHere && n.startsWith("org/sqlite/native/") && !n.startsWith(sqlite) && !sqlite.startsWith(n)
                            || jnaHere && jnaNative.matcher(n).matches() && !n.startsWith(jna);
                    if (foreign) {
                        dropped++;
                        continue;
                    }
                    ZipEntry copy = new ZipEntry(n);
                    copy.setTime(e.getTime());
                    zout.putNextEntry(copy);
                    try (InputStream in = zip.getInputStream(e)) {
                        in.transferTo(zout);
                    }
                    zout.closeEntry();
                }
            }
        }
        log("jar " + mb(Files.size(from)) + " MB -> " + mb(Files.size(to)) + " MB (" + dropped
                + " native files for other systems left out; kept " + sqlite + ", " + jna + ")");
    }

    /** Drops what the app never uses: the CDS archive for heaps over 32 GB, and (Linux) native symbol tables. */
    void slimRuntime(Path runtime) throws Exception {
        try (Stream<Path> s = Files.walk(runtime)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String n = p.getFileName().toString();
                if (n.equals("classes_nocoops.jsa")) {
                    Files.delete(p);
                } else if (os.equals("linux") && n.endsWith(".so") && onPath("strip")) {
                    p.toFile().setWritable(true);
                    exec(List.of("strip", "--strip-unneeded", p.toString()));
                }
            }
        }
    }

    /**
     * Replaces jpackage's Linux launchers with shell scripts that start the bundled runtime with the same class
     * path, main class, JVM options and arguments (read from each launcher's .cfg, which stays). jpackage's own
     * launcher asks rpm and dpkg which package owns it on every start, twice (`rpm -qf`, `dpkg -S`, `dpkg -L`):
     * 0.4–0.9 s before the JVM starts, more than the whole server's start (BENCHMARKS.md, installed start).
     */
    void scriptLaunchers(Path appImage, Path appDir) throws IOException {
        try (Stream<Path> cfgs = Files.list(appDir)) {
            for (Path cfg : cfgs.filter(f -> f.getFileName().toString().endsWith(".cfg")).sorted().toList()) {
                String name = cfg.getFileName().toString().replaceFirst("\\.cfg$", "");
                Path launcher = appImage.resolve("bin").resolve(name);
                if (!Files.isRegularFile(launcher)) {
                    continue;
                }
                Files.writeString(launcher, launcherScript(name, Files.readAllLines(cfg)));
                launcher.toFile().setExecutable(true, false);
                log("bin/" + name + ": a script starting lib/runtime/bin/java (no package-manager queries at start)");
            }
        }
    }

    /** The POSIX shell script for one launcher, from its jpackage .cfg ([Application], [JavaOptions], [ArgOptions]). */
    static String launcherScript(String name, List<String> cfg) {
        String classPath = null;
        String mainClass = null;
        List<String> javaOptions = new ArrayList<>();
        List<String> arguments = new ArrayList<>();
        for (String line : cfg) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1);
            switch (key) {
                case "app.classpath" -> classPath = value;
                case "app.mainclass" -> mainClass = value;
                case "java-options" -> javaOptions.add(value);
                case "arguments" -> arguments.add(value);
                default -> { }
            }
        }
        if (classPath == null || mainClass == null) {
            throw new IllegalStateException(name + ".cfg has no app.classpath or app.mainclass: " + cfg);
        }
        StringBuilder cmd = new StringBuilder("exec \"$root/lib/runtime/bin/java\" \"-Djpackage.app-path=$bin/" + name + "\"");
        for (String o : javaOptions) {
            cmd.append(' ').append(shellWord(o));
        }
        cmd.append(" -classpath ").append(shellWord(classPath)).append(' ').append(shellWord(mainClass)).append(" \"$@\"\n");
        // like jpackage's launcher: the .cfg's arguments only when the command line gives none
        StringBuilder defaults = new StringBuilder();
        if (!arguments.isEmpty()) {
            defaults.append("[ $# -gt 0 ] || set --");
            for (String a : arguments) {
                defaults.append(' ').append(shellWord(a));
            }
            defaults.append('\n');
        }
        return "#!/bin/sh\n"
                + "# " + name + ": starts the bundled Java runtime as lib/app/" + name + ".cfg says. Written by packaging/src/Packager.java\n"
                + "# instead of jpackage's launcher, which asks rpm and dpkg which package owns it on every start (0.4-0.9 s).\n"
                + "bin=$(dirname \"$(readlink -f \"$0\")\")\n"
                + "root=$(dirname \"$bin\")\n"
                + defaults
                + cmd;
    }

    /** A .cfg value as one shell word: literal text single-quoted, jpackage's $APPDIR/$ROOTDIR/$BINDIR expanded. */
    static String shellWord(String value) {
        StringBuilder word = new StringBuilder();
        java.util.regex.Matcher m = Pattern.compile("\\$(APPDIR|ROOTDIR|BINDIR)").matcher(value);
        int at = 0;
        while (m.find()) {
            word.append(quoted(value.substring(at, m.start())));
            word.append(switch (m.group(1)) {
                case "APPDIR" -> "\"$root/lib/app\"";
                case "ROOTDIR" -> "\"$root\"";
                default -> "\"$bin\"";
            });
            at = m.end();
        }
        word.append(quoted(value.substring(at)));
        return word.length() == 0 ? "''" : word.toString();
    }

    static String quoted(String literal) {
        return literal.isEmpty() ? "" : "'" + literal.replace("'", "'\\''") + "'";
    }

    List<String> iconArgs() {
        String icon = opt.get("icon");
        return icon == null || icon.isBlank() ? List.of() : List.of("--icon", root.resolve(icon).toString());
    }

    /** Where jpackage puts the jar and the launcher .cfg files ($APPDIR). */
    Path appDir(Path appImage) {
        return switch (os) {
            case "mac" -> appImage.resolve("Contents/app");
            case "windows" -> appImage.resolve("app");
            default -> appImage.resolve("lib/app");
        };
    }

    Path bundledJava(Path appImage) {
        return switch (os) {
            case "mac" -> appImage.resolve("Contents/runtime/Contents/Home/bin/java");
            case "windows" -> appImage.resolve("runtime/bin/java.exe");
            default -> appImage.resolve("lib/runtime/bin/java");
        };
    }

    /**
     * Starts the app headless once with the bundled runtime until /health is 200, recording every class it
     * loads into $APPDIR/appstrate.classlist. The list names classes, not paths, so it survives installation
     * anywhere; the .deb's postinst remakes the runtime's default class-data sharing archive from it for the
     * installed class path (a JDK 17 archive only serves the exact class path it was made with, which does
     * not exist before installation). Everywhere else the runtime's own archive (JDK classes) is used.
     */
    void recordClassList(Path appImage, Path jar, App app, Path classList) throws Exception {
        trainingBoot(appImage, jar, app, List.of("-XX:DumpLoadedClassList=" + classList), "classlist-run.log");
        // keep whole lines only, in case the process was cut off mid-write
        String text = Files.readString(classList);
        Files.writeString(classList, text.substring(0, text.lastIndexOf('\n') + 1));
        phase("class list " + classList.getFileName() + ": " + text.lines().count() + " classes");
    }

    /**
     * JDK 25+: one headless boot of the app-image with a launcher's JVM options (the java-options of its .cfg) until
     * /health is 200, then SIGTERM; at exit the JVM writes the ahead-of-time cache (classes loaded and linked, lambdas,
     * heap objects) that launcher names. Unlike a JDK 17 archive it stays valid when the app-image is installed
     * elsewhere (same jar, relative place), so it ships in every installer and postinst has nothing to make. A JVM
     * whose collector or compressed oops differ refuses it, hence one cache per set of options. With {@code window},
     * the boot is the window's own (see windowTraining), falling back to the headless one if the window fails in any way
     * (never shows, exits early, does not exit in time, writes no cache).
     */
    void trainAotCache(Path appImage, Path jar, App app, Path launcherCfg, Path cache, boolean window) throws Exception {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(launcherCfg)) {
            if (line.startsWith("java-options=")) {
                String o = line.substring("java-options=".length()).trim();
                if (!o.startsWith("-XX:AOTCache=")) {
                    options.add(o);
                }
            }
        }
        options.add("-XX:AOTCacheOutput=" + cache);
        String logName = "aot-training-" + launcherCfg.getFileName().toString().replaceFirst("\\.cfg$", "") + ".log";
        if (window) {
            String failure = null;
            try {
                windowBoot(appImage, jar, app, options, cache, logName);
                if (!Files.isRegularFile(cache)) {
                    failure = "the window wrote no cache";
                }
            } catch (IllegalStateException | IOException | UncheckedIOException e) {
                failure = e.getMessage();
            }
            if (failure != null) {
                log("window training failed (" + failure + "; see " + out.resolve(logName) + "), a headless boot trains "
                        + cache.getFileName());
                Files.deleteIfExists(cache);
                window = false;
            }
        }
        if (!window) {
            trainingBoot(appImage, jar, app, options, logName);
        }
        if (!Files.isRegularFile(cache)) {
            throw new IllegalStateException("the training run wrote no AOT cache " + cache + ": see " + out.resolve(logName));
        }
        phase("AOT cache " + cache.getFileName() + (window ? ", trained by the window" : ", trained headless") + " ("
                + String.join(" ", options.subList(0, options.size() - 1)) + "): "
                + mb(Files.size(cache)) + " MB");
    }

    /**
     * The window's cache is trained by the window itself when the build has a display (DISPLAY, and xwininfo to see
     * its windows): a headless boot never loads JavaFX and the first screen, whose ~3,200 classes the window would then
     * read from the jar on every start (BENCHMARKS.md, session 10: 2.20-2.24 s CPU to the main window trained by the
     * window, 2.30-2.84 s trained headless). Without a display, or with `--aot-training=headless` (Maven:
     * -Djpackage.aot.training=headless), headless.
     */
    boolean windowTraining(App app) {
        String mode = opt.getOrDefault("aot-training", "");
        String display = System.getenv("DISPLAY");
        return os.equals("linux") && app.mainClass().equals("dev.appstrate.desktop.Launcher") && display != null
                && !display.isBlank() && onPath("xwininfo") && !mode.equals("headless");
    }

    /**
     * Server settings of the build's environment (README's configuration table) that would make a training boot touch
     * something real: another database or Redis cluster (migrated, joined as an instance), a bucket, Docker, a runner
     * command, model keys, a fixed owner credential, a remote server. Both training boots run without them.
     */
    static final List<String> TRAINING_ENV_REMOVED = List.of("DATABASE_URL", "REDIS_URL", "S3_BUCKET", "S3_REGION",
            "S3_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "RUN_ADAPTER", "RUNNER_COMMAND",
            "SYSTEM_PROVIDER_KEYS", "APPSTRATE_OWNER_TOKEN", "DOCKER_HOST", "PI_IMAGE", "SIDECAR_IMAGE",
            "SIDECAR_POOL_SIZE", "PLATFORM_API_URL", "EGRESS_ALLOW_INTERNAL_HOSTS", "APP_URL", "NODE_ENV",
            "BETTER_AUTH_SECRET", "UPLOAD_SIGNING_SECRET", "CONNECTION_ENCRYPTION_KEY", "CONNECTION_ENCRYPTION_KEY_ID",
            "CONNECTION_ENCRYPTION_KEYS", "APPSTRATE_URL", "APPSTRATE_API_KEY", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
            "XDG_DATA_HOME", "DATA_DIR", "PORT", "HOST", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    /**
     * A training boot's command and environment: a throwaway home for Java too (user.home, which Java takes from the
     * password file, not HOME: the SQLite driver's copy and JavaFX's native libraries go under it), its data folder
     * inside, and none of the build's server settings.
     */
    ProcessBuilder trainingProcess(Path appImage, Path jar, App app, List<String> jvmOptions, Path home, String logName) {
        List<String> cmd = new ArrayList<>(List.of(bundledJava(appImage).toString()));
        cmd.addAll(jvmOptions);
        cmd.add("-Duser.home=" + home);
        cmd.addAll(List.of("-cp", jar.toString(), app.mainClass()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolve(logName).toFile());
        Map<String, String> env = pb.environment();
        TRAINING_ENV_REMOVED.forEach(env::remove);
        env.put("HOME", home.toString());
        env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        env.put("DATA_DIR", home.resolve("data").toString());
        env.put("LOG_LEVEL", "warn");
        return pb;
    }

    /**
     * Starts the app-image's window (throwaway home and data folders) until its main window is up, lets its first
     * screen load its data, then SIGTERM and waits up to a minute for the exit (which writes the cache). A window that
     * does not exit in time is killed with its descendants (the JVM assembling the cache) and its cache deleted.
     */
    void windowBoot(Path appImage, Path jar, App app, List<String> jvmOptions, Path cache, String logName) throws Exception {
        Path home = Files.createTempDirectory("appstrate-training-home-");
        ProcessBuilder pb = trainingProcess(appImage, jar, app, jvmOptions, home, logName);
        Path xauthority = Path.of(System.getProperty("user.home"), ".Xauthority");
        String realHome = System.getenv("HOME");
        if (realHome != null && !realHome.isBlank()) {
            xauthority = Path.of(realHome, ".Xauthority");
        }
        // the X cookie stays reachable from the throwaway home (ssh -X, startx, VNC: ~/.Xauthority, XAUTHORITY unset)
        String xauth = System.getenv("XAUTHORITY");
        if ((xauth == null || xauth.isBlank()) && Files.isRegularFile(xauthority)) {
            pb.environment().put("XAUTHORITY", xauthority.toString());
        }
        // windows already on the display (a developer's own Appstrate Desktop, say) are not the training's
        Set<String> before;
        Process p;
        long t0 = System.nanoTime();
        try {
            before = appWindows(exec(List.of("xwininfo", "-root", "-tree"), Map.of(), false));
            p = pb.start();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(home);
            throw e;
        }
        try {
            // the main window: the plain title, set only once the app is ready ("Appstrate Desktop — starting…" before)
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (true) {
                Set<String> now = appWindows(exec(List.of("xwininfo", "-root", "-tree"), Map.of(), false));
                now.removeAll(before);
                if (!now.isEmpty()) {
                    break;
                }
                if (!p.isAlive()) {
                    throw new IllegalStateException("the window exited with " + p.exitValue());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no main window after 2 minutes");
                }
                Thread.sleep(100);
            }
            log("window boot of the app-image: main window after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            // the first screen's first data (the smoke test's screenshot waits as long): its classes go in the cache too
            Thread.sleep(3000);
        } finally {
            long stop = System.nanoTime();
            if (stop(p, 1)) {
                log("window boot of the app-image: exited " + (System.nanoTime() - stop) / 1_000_000 + " ms after SIGTERM");
            } else {
                log("window boot of the app-image: no exit within a minute of SIGTERM, killed with its descendants");
                Files.deleteIfExists(cache);
            }
            deleteQuietly(home);
        }
    }

    /** Ids of the windows titled exactly "Appstrate Desktop" in `xwininfo -root -tree` output. */
    static Set<String> appWindows(String tree) {
        Set<String> ids = new HashSet<>();
        java.util.regex.Matcher m = Pattern.compile("(?m)^\\s*(0x[0-9a-f]+) \"Appstrate Desktop\":").matcher(tree);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /**
     * SIGTERM, then waits up to {@code minutes} for the exit; past that, kills the process's descendants (a JDK 25 JVM
     * writing an AOT cache at exit runs a child JVM that would otherwise outlive it and write later) and then the process.
     * True when it exited by itself.
     */
    static boolean stop(Process p, int minutes) throws InterruptedException {
        p.destroy();
        if (p.waitFor(minutes, TimeUnit.MINUTES)) {
            return true;
        }
        List<ProcessHandle> descendants = p.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor();
        for (ProcessHandle d : descendants) {
            try {
                d.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                log("process " + d.pid() + " still there 10 s after SIGKILL");
            }
        }
        return false;
    }

    /** A throwaway folder left behind is no reason to fail the build. */
    static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | UncheckedIOException e) {
            log("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** Boots the app-image headless with a throwaway home and data folder until /health is 200, then stops it and waits for its exit. */
    void trainingBoot(Path appImage, Path jar, App app, List<String> jvmOptions, String logName) throws Exception {
        Path home = Files.createTempDirectory("appstrate-training-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = trainingProcess(appImage, jar, app, jvmOptions, home, logName);
        if (!app.headlessArg().isEmpty()) {
            pb.command().add(app.headlessArg());
        }
        Map<String, String> env = pb.environment();
        env.put("PORT", String.valueOf(port));
        env.put("HOST", "127.0.0.1");
        env.put("BETTER_AUTH_SECRET", randomSecret());
        env.put("UPLOAD_SIGNING_SECRET", randomSecret());
        env.put("CONNECTION_ENCRYPTION_KEY", randomSecret());
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean exited;
        try {
            awaitHealth(p, port);
            log("headless boot of the app-image: /health 200 after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } finally {
            // writing an AOT cache at exit takes a few seconds (a child JVM assembles it)
            exited = stop(p, 3);
            deleteQuietly(home);
        }
        if (!exited) {
            // killed while writing: what it wrote may be cut short, and a cut cache must not ship
            throw new IllegalStateException("the training boot did not exit within 3 minutes and was killed: see " + out.resolve(logName));
        }
    }

    static void awaitHealth(Process p, int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the app exited with " + p.exitValue() + " before /health answered");
            }
            try {
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("/health never answered 200 on port " + port);
    }

    /** SHA256SUMS beside the installers; a minisign signature of each file when a key is provided. */
    void checksumAndSign(Path dir) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("SHA256SUMS")
                    && !f.getFileName().toString().endsWith(".minisig")).sorted().toList();
        }
        if (files.isEmpty()) {
            return;
        }
        StringBuilder sums = new StringBuilder();
        for (Path f : files) {
            sums.append(sha256(f)).append("  ").append(f.getFileName()).append('\n');
        }
        Path sumsFile = dir.resolve("SHA256SUMS");
        Files.writeString(sumsFile, sums.toString());
        log("SHA256SUMS:\n" + sums.toString().strip());

        Path key = minisignKey();
        if (key == null) {
            return;
        }
        if (!onPath("minisign")) {
            throw new IllegalStateException("a minisign key is set but minisign is not installed (apt-get install minisign)");
        }
        List<Path> toSign = new ArrayList<>(files);
        toSign.add(sumsFile);
        for (Path f : toSign) {
            ProcessBuilder pb = new ProcessBuilder(List.of("minisign", "-S", "-s", key.toString(), "-m", f.toString(),
                    "-t", "Appstrate Desktop " + f.getFileName())).redirectErrorStream(true);
            Process p = pb.start();
            // an encrypted key reads its password from standard input; an unencrypted one (-W) reads nothing
            try (var stdin = p.getOutputStream()) {
                stdin.write((System.getenv().getOrDefault("MINISIGN_PASSWORD", "") + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException keyWithoutPassword) {
                // minisign did not read a password and already closed its input
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("minisign failed for " + f.getFileName() + ": " + output.strip());
            }
        }
        log("signed with minisign: " + toSign.size() + " .minisig files");
        if (key.getFileName().toString().startsWith("appstrate-minisign-")) {
            Files.delete(key);
        }
    }

    /** MINISIGN_SECRET_KEY (the key file's content) or MINISIGN_SECRET_KEY_FILE (its path); null when neither. */
    Path minisignKey() throws IOException {
        String file = System.getenv("MINISIGN_SECRET_KEY_FILE");
        if (file != null && !file.isBlank()) {
            return Path.of(file);
        }
        String content = System.getenv("MINISIGN_SECRET_KEY");
        if (content == null || content.isBlank()) {
            return null;
        }
        Path tmp = Files.createTempFile("appstrate-minisign-", ".key");
        Files.writeString(tmp, content.strip() + "\n");
        return tmp;
    }

    // ---- small helpers

    /** The JVM options a launcher adds for this runtime, naming its AOT cache (none for a JDK 17 runtime). */
    List<String> runtimeOptions(String cache) {
        if (!jdk25Runtime()) {
            return List.of();
        }
        List<String> options = new ArrayList<>();
        if (aotCache()) {
            options.add("-XX:AOTCache=$APPDIR/" + cache);
        }
        options.addAll(JDK25_RUNTIME_OPTIONS);
        return options;
    }

    /** A launcher's .properties with the runtime's options (its cache named) appended to its java-options line. */
    String withRuntimeOptions(String cache, String properties) {
        String extra = String.join(" ", runtimeOptions(cache));
        return extra.isEmpty() ? properties : properties.replaceFirst("(?m)^(java-options=.*)$", "$1 " + java.util.regex.Matcher.quoteReplacement(extra));
    }

    void jlink(TreeSet<String> modules, Path runtime) throws Exception {
        exec(List.of(runtimeTool("jlink"), "--add-modules", String.join(",", modules), "--output", runtime.toString(),
                "--strip-debug", "--no-man-pages", "--no-header-files", runtimeVersion >= 21 ? "--compress=zip-6" : "--compress=2",
                "--generate-cds-archive"));
    }

    String runtimeTool(String name) {
        Path p = runtimeJdk.resolve("bin").resolve(os.equals("windows") ? name + ".exe" : name);
        return Files.exists(p) ? p.toString() : tool(name);
    }

    /** The build's time in whole seconds: SOURCE_DATE_EPOCH when the caller sets one (reproducible builds), else now. */
    static long buildEpoch() {
        String given = System.getenv("SOURCE_DATE_EPOCH");
        return given != null && given.matches("\\d{1,12}") ? Long.parseLong(given) : System.currentTimeMillis() / 1000;
    }

    String tool(String name) {
        Path p = jdkBin.resolve(os.equals("windows") ? name + ".exe" : name);
        return Files.exists(p) ? p.toString() : name;
    }

    String exec(List<String> cmd) throws Exception {
        return exec(cmd, Map.of());
    }

    String exec(List<String> cmd, Map<String, String> env) throws Exception {
        return exec(cmd, env, true);
    }

    String exec(List<String> cmd, Map<String, String> env, boolean logged) throws Exception {
        if (logged) {
            log("$ " + String.join(" ", cmd));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException(cmd.get(0) + " exited with " + rc + ":\n" + output);
        }
        return output;
    }

    static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program)) || Files.isExecutable(Path.of(dir, program + ".exe"))) {
                return true;
            }
        }
        return false;
    }

    static String detectOs() {
        String n = System.getProperty("os.name", "").toLowerCase();
        return n.contains("win") ? "windows" : n.contains("mac") ? "mac" : "linux";
    }

    static String randomSecret() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    static String sha256(Path f) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static Path clean(Path dir) throws IOException {
        deleteTree(dir);
        return Files.createDirectories(dir);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    p.toFile().setWritable(true);
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static String mb(long bytes) {
        return String.format("%.1f", bytes / 1_000_000.0);
    }

    final long started = System.nanoTime();

    void phase(String s) {
        log(s + " [" + (System.nanoTime() - started) / 1_000_000_000 + " s]");
    }

    static void log(String s) {
        System.out.println("[packager] " + s);
    }
}
