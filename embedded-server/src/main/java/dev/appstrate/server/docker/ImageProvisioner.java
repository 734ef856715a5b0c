package dev.appstrate.server.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import dev.appstrate.server.config.DockerSettings;
import dev.appstrate.server.runs.adapter.RunnerClasspath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure an image is on the engine before a run needs it: this project's own images are built
 * locally by {@code build-images.sh} (no registry: a jlink'd runtime plus the agent runner this server
 * ships, and a busybox relay sidecar); any other image is pulled once, with progress in the log.
 * Concurrent requests for the same image share one build or pull.
 */
public final class ImageProvisioner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImageProvisioner.class);
    private static final long BUILD_TIMEOUT_MINUTES = 15;

    private final DockerEngine engine;
    private final Path workDir;
    static final String DIGEST_LABEL = "appstrate.build.digest";
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, String> digests = new java.util.HashMap<>();
    private final java.util.Set<Process> builds = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param workDir where the build script is unpacked (the data folder's docker/ directory) */
    public ImageProvisioner(DockerEngine engine, Path workDir) {
        this.engine = engine;
        this.workDir = workDir;
    }

    public boolean present(String image) {
        try {
            var inspect = engine.api().inspectImageCmd(image).exec();
            String kind = localKind(image);
            if (kind != null) {
                // our own images must hold what this server ships (the runner, the relay script): rebuilt when it changes
                var labels = inspect.getConfig() == null ? null : inspect.getConfig().getLabels();
                String have = labels == null ? null : labels.get(DIGEST_LABEL);
                if (!localDigest(kind).equals(have)) {
                    LOG.debug("Docker image {} has build digest {}, this server's is {}", image, have, localDigest(kind));
                    return false;
                }
            }
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** "runner" or "sidecar" for this project's locally built images, null for any other image. */
    static String localKind(String image) {
        return DockerSettings.LOCAL_RUNNER_IMAGE.equals(image) ? "runner"
                : DockerSettings.LOCAL_SIDECAR_IMAGE.equals(image) ? "sidecar" : null;
    }

    /** A digest of what a local image is built from: the build script, and for the runner its classpath and Java. */
    synchronized String localDigest(String kind) {
        return digests.computeIfAbsent(kind, k -> {
            try {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                try (InputStream in = ImageProvisioner.class.getResourceAsStream("/docker/build-images.sh")) {
                    if (in != null) {
                        md.update(in.readAllBytes());
                    }
                }
                if (k.equals("runner")) {
                    md.update(System.getProperty("java.version").getBytes(StandardCharsets.UTF_8));
                    for (String entry : RunnerClasspath.find().split(java.io.File.pathSeparator)) {
                        Path p = Path.of(entry);
                        if (Files.isDirectory(p)) {
                            try (var files = Files.walk(p)) {
                                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                                    md.update(p.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                                    md.update(Files.readAllBytes(f));
                                }
                            }
                        } else {
                            md.update(Files.readAllBytes(p));
                        }
                    }
                }
                return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
            } catch (IOException | java.security.NoSuchAlgorithmException e) {
                return "unknown";
            }
        });
    }

    /** Returns once the image exists; throws {@link ImageUnavailableException} saying how to get it. */
    public void ensure(String image) {
        if (present(image)) {
            return;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = inFlight.putIfAbsent(image, mine);
        if (running != null) {
            try {
                running.join();
                return;
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof ImageUnavailableException u ? u : new ImageUnavailableException(e.getMessage(), e);
            }
        }
        try {
            if (present(image)) {
                mine.complete(null);
                return;
            }
            if (localKind(image) != null) {
                LOG.info("Docker image {} is missing or was built from another version of this server", image);
            }
            if ("runner".equals(localKind(image))) {
                build("runner", image, List.of("--classpath", RunnerClasspath.find(),
                        "--java-home", System.getProperty("java.home"), "--digest", localDigest("runner")));
            } else if ("sidecar".equals(localKind(image))) {
                build("sidecar", image, List.of("--digest", localDigest("sidecar")));
            } else {
                pull(image);
            }
            mine.complete(null);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(image, mine);
        }
    }

    private void build(String kind, String image, List<String> args) {
        LOG.info("Building Docker image {} locally (first use; this takes a moment)", image);
        long t0 = System.nanoTime();
        Path script = unpackScript();
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), kind, image));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DOCKER_HOST", engine.endpoint().uri().toString());
        List<String> output = new ArrayList<>();
        try {
            if (closed) {
                throw new ImageUnavailableException("The server is stopping: " + image + " was not built", null);
            }
            Process p = pb.start();
            builds.add(p);
            p.getOutputStream().close();
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    LOG.info("[image {}] {}", image, line);
                    output.add(line);
                }
            }
            boolean finished = p.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            builds.remove(p);
            if (!finished || p.exitValue() != 0 || !present(image)) {
                p.destroyForcibly();
                String tail = output.isEmpty() ? "no output" : String.join(" | ", output.subList(Math.max(0, output.size() - 3), output.size()));
                throw new ImageUnavailableException("Could not build the Docker image " + image + " (" + tail + "). "
                        + "Build it with: bash " + script + " " + kind + " " + image
                        + (kind.equals("runner") ? " --classpath <agent-runner jar and its dependencies>" : "")
                        + ", or set " + (kind.equals("runner") ? "PI_IMAGE" : "SIDECAR_IMAGE") + " to an image you have", null);
            }
        } catch (IOException e) {
            throw new ImageUnavailableException("Could not run the image build script for " + image + ": " + e.getMessage()
                    + ". It needs bash, tar and the docker CLI on the PATH.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageUnavailableException("Interrupted while building " + image, e);
        }
        LOG.info("Docker image built image={} ms={}", image, (System.nanoTime() - t0) / 1_000_000);
    }

    private void pull(String image) {
        LOG.info("Pulling Docker image {}", image);
        long t0 = System.nanoTime();
        try {
            engine.streams().pullImageCmd(image).exec(new ResultCallback.Adapter<PullResponseItem>() {
                private String lastStatus;

                @Override
                public void onNext(PullResponseItem item) {
                    String s = item.getStatus();
                    if (s != null && !s.equals(lastStatus)) {
                        lastStatus = s;
                        LOG.info("[pull {}] {}{}", image, item.getId() == null ? "" : item.getId() + ": ", s);
                    }
                }
            }).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageUnavailableException("Interrupted while pulling " + image, e);
        } catch (RuntimeException e) {
            throw new ImageUnavailableException("The Docker image " + image + " is missing and could not be pulled ("
                    + DockerErrors.message(e) + "). Pull or build it yourself ('docker pull " + image + "'), or unset the "
                    + "image setting to use Appstrate's locally built images", e);
        }
        if (!present(image)) {
            throw new ImageUnavailableException("The Docker image " + image + " is still missing after a pull. "
                    + "Check the name, or run 'docker pull " + image + "'", null);
        }
        LOG.info("Docker image pulled image={} ms={}", image, (System.nanoTime() - t0) / 1_000_000);
    }

    /** The build script from the server's resources, written where bash can read it. */
    Path unpackScript() {
        try (InputStream in = ImageProvisioner.class.getResourceAsStream("/docker/build-images.sh")) {
            if (in == null) {
                throw new ImageUnavailableException("build-images.sh is not packaged with this server", null);
            }
            Files.createDirectories(workDir);
            Path target = workDir.resolve("build-images.sh");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new ImageUnavailableException("Cannot write the image build script to " + workDir + ": " + e.getMessage(), e);
        }
    }

    /** Stops builds still running (the server is stopping); the script's temporary folder goes with it. */
    @Override
    public void close() {
        closed = true;
        for (Process p : builds) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
    }

    /** The image is missing and could not be built or pulled; the message says how to get it. */
    public static final class ImageUnavailableException extends RuntimeException {
        public ImageUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
