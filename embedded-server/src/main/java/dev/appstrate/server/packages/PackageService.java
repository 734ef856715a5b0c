package dev.appstrate.server.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Times;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packages of the organization: create from JSON, import from an {@code .afps}, versions, installs
 * per application, delete. Also the {@link AgentCatalog} runs use. Reads that every request makes
 * (agent lists, catalog lookups) are cached and dropped on any package write.
 */
public final class PackageService implements AgentCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(PackageService.class);
    public static final int MAX_MANIFEST_BYTES = 256 * 1024;
    public static final String AGENT_SCHEMA_ID = "https://schemas.afps.dev/v0/agent.schema.json";
    /** Bundles built from JSON get this fixed mtime, so the same agent always has the same integrity. */
    private static final long BUNDLE_MTIME = Instant.parse("1980-01-02T12:00:00Z").toEpochMilli();

    /** What an import did: the package, its version, and whether anything new was stored. */
    public record ImportResult(String packageId, String type, String version, boolean changed) {
    }

    private record Parsed(String id, String type, String version, JsonNode manifest, String content, byte[] bundle) {
    }

    private record Cached<V>(long generation, V value) {
    }

    private final Database db;
    private final BundleStore bundles;
    private final ManifestValidator validator;
    private final Clock clock;
    private final AtomicLong generation = new AtomicLong();
    /** Held from the database write to the bundle move, so the file on disk is always the one the row describes. */
    private final Object bundleLock = new Object();
    private final Map<String, Cached<Object>> cache = new ConcurrentHashMap<>();
    private final List<Consumer<String>> deleteListeners = new CopyOnWriteArrayList<>();

    public PackageService(Database db, BundleStore bundles, ManifestValidator validator, Clock clock) {
        this.db = db;
        this.bundles = bundles;
        this.validator = validator;
        this.clock = clock;
    }

    // ---- writes ---------------------------------------------------------------------------------

    /** {@code POST /api/packages/agents}: a new agent with its first version, installed in {@code appId}. */
    public StoredPackage createAgent(String orgId, String appId, JsonNode manifest, String content, String userId) {
        List<ApiException.FieldError> errors = validator.validate(manifest, "agent");
        if (content == null || content.isBlank()) {
            errors.add(new ApiException.FieldError("content", "required", "The agent prompt must not be empty"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        ObjectNode m = manifest.deepCopy();
        if (!m.has("$schema")) {
            m.put("$schema", AGENT_SCHEMA_ID);
        }
        checkManifestSize(Json.bytes(m).length);
        Parsed p = new Parsed(m.get("name").asText(), "agent", m.get("version").asText(), m, content,
                bundleOf(m, "prompt.md", content));
        return write(p, orgId, appId, userId, false, true).pkg;
    }

    /** {@code POST /api/packages/import}: an agent or skill from its ZIP, installed in {@code appId}. */
    public ImportResult importArchive(String orgId, String appId, byte[] zip, boolean force, String userId) {
        return importArchive(orgId, appId, zip, force, userId, true);
    }

    /**
     * As above; unless {@code mayChangeShared}, a package another application has installed is not
     * changed (no new version, no overwrite): 403, since that application's next run would use it.
     */
    public ImportResult importArchive(String orgId, String appId, byte[] zip, boolean force, String userId,
                                      boolean mayChangeShared) {
        Parsed p = parse(zip);
        if (!mayChangeShared && installedOutside(p.id(), appId)) {
            throw dev.appstrate.server.http.AuthContext.orgWideRefused("Package '" + p.id() + "' (installed in other applications)");
        }
        Written w = write(p, orgId, appId, userId, force, false);
        return new ImportResult(p.id(), p.type(), p.version(), w.changed);
    }

    private record Written(StoredPackage pkg, boolean changed) {
    }

    private Written write(Parsed p, String orgId, String appId, String userId, boolean force, boolean mustBeNew) {
        Instant now = clock.instant();
        String at = Times.iso(now);
        String integrity = integrity(p.bundle());
        PackageVersion v = new PackageVersion(0, p.id(), p.version(), integrity, p.bundle().length, p.manifest(),
                p.content(), false, null, userId, now);
        // rows and bundle written under one lock: a concurrent delete or import of the same package waits
        synchronized (bundleLock) {
            try {
                Written w = db.write(c -> {
                    Optional<StoredPackage> existing = PackageRepository.byId(c, p.id());
                    boolean changed = true;
                    if (existing.isPresent()) {
                        StoredPackage e = existing.get();
                        if (mustBeNew || !e.orgId().equals(orgId)) {
                            throw new ApiException(400, "name_collision",
                                    "A " + p.type() + " with identifier '" + p.id() + "' already exists");
                        }
                        if (!e.type().equals(p.type())) {
                            throw new ApiException(400, "type_mismatch", "'" + p.id() + "' is already a " + e.type()
                                    + "; the package is a " + p.type());
                        }
                        Optional<PackageVersion> same = PackageRepository.version(c, p.id(), p.version());
                        if (same.isPresent() && same.get().integrity().equals(integrity)) {
                            changed = false;
                        } else if (same.isPresent()) {
                            if (!force) {
                                throw ApiException.conflict("integrity_mismatch", "Version " + p.version() + " of '" + p.id()
                                        + "' already exists with different content. Bump the version, or re-send with ?force=true to replace it.");
                            }
                            PackageRepository.replaceVersion(c, same.get().id(), v);
                            PackageRepository.updateDraft(c, p.id(), p.manifest(), p.content(), at);
                        } else {
                            PackageRepository.insertVersion(c, v);
                            PackageRepository.updateDraft(c, p.id(), p.manifest(), p.content(), at);
                        }
                    } else {
                        PackageRepository.insert(c, new StoredPackage(p.id(), orgId, p.type(), "local", p.manifest(), p.content(),
                                1, false, null, userId, now, now));
                        PackageRepository.insertVersion(c, v);
                    }
                    PackageRepository.install(c, appId, p.id(), at);
                    if (changed) {
                        // last, inside the transaction: a bundle that cannot be stored rolls its version row back
                        bundles.put(p.id(), p.version(), p.bundle());
                    }
                    return new Written(PackageRepository.byId(c, p.id()).orElseThrow(), changed);
                });
                LOG.info("Package stored packageId={} version={} type={} changed={} applicationId={}", p.id(), p.version(),
                        p.type(), w.changed, appId);
                return w;
            } finally {
                invalidate();
            }
        }
    }

    /** Whether an application other than {@code appId} has this package installed. */
    public boolean installedOutside(String packageId, String appId) {
        return db.read(c -> PackageRepository.installedOutside(c, packageId, appId));
    }

    /** Deletes the package everywhere (all versions, all installs, its bundles). */
    public boolean delete(String orgId, String packageId) {
        boolean done;
        synchronized (bundleLock) {
            done = db.write(c -> {
                Optional<StoredPackage> p = PackageRepository.byId(c, packageId);
                return p.isPresent() && p.get().orgId().equals(orgId) && PackageRepository.delete(c, packageId);
            });
            if (done) {
                bundles.deletePackage(packageId);
            }
        }
        invalidate();
        if (done) {
            LOG.info("Package deleted packageId={}", packageId);
            deleteListeners.forEach(l -> l.accept(packageId));
        }
        return done;
    }

    /** Called with the id of each package deleted, for what other features keep of it (an agent's schedules). */
    public void onDelete(Consumer<String> listener) {
        deleteListeners.add(listener);
    }

    /** Installs an org package in another application; false when it was installed already. */
    public boolean install(String appId, String packageId) {
        boolean fresh = db.write(c -> PackageRepository.install(c, appId, packageId, Times.iso(clock.instant())));
        invalidate();
        return fresh;
    }

    public boolean uninstall(String appId, String packageId) {
        boolean done = db.write(c -> PackageRepository.uninstall(c, appId, packageId));
        invalidate();
        return done;
    }

    private void invalidate() {
        generation.incrementAndGet();
        cache.clear();
    }

    // ---- reads ----------------------------------------------------------------------------------

    public Optional<StoredPackage> byId(String packageId) {
        return db.read(c -> PackageRepository.byId(c, packageId));
    }

    /** The package when it is installed in this application (and of this type), else empty. */
    public Optional<StoredPackage> installedIn(String appId, String packageId, String type) {
        return cached("pkg|" + appId + "|" + packageId, () -> db.read(c -> {
            if (PackageRepository.installation(c, appId, packageId).isEmpty()) {
                return Optional.<StoredPackage>empty();
            }
            return PackageRepository.byId(c, packageId);
        })).filter(p -> type == null || p.type().equals(type));
    }

    public List<StoredPackage> installed(String appId, String type) {
        return db.read(c -> PackageRepository.installed(c, appId, type));
    }

    public List<PackageVersion> versions(String packageId) {
        return db.read(c -> PackageRepository.versions(c, packageId));
    }

    public Optional<PackageVersion> version(String packageId, String version) {
        return db.read(c -> PackageRepository.version(c, packageId, version));
    }

    public Optional<PackageVersion> latest(String packageId) {
        return db.read(c -> PackageRepository.latest(c, packageId));
    }

    public long versionCount(String packageId) {
        return db.read(c -> PackageRepository.versionCount(c, packageId));
    }

    public Optional<Installation> installation(String appId, String packageId) {
        return db.read(c -> PackageRepository.installation(c, appId, packageId));
    }

    public List<Installation> installations(String appId) {
        return db.read(c -> PackageRepository.installations(c, appId));
    }

    public byte[] bundle(String packageId, String version) {
        return bundles.read(packageId, version);
    }

    /** A value computed once per package write (e.g. an application's agent list as bytes). */
    @SuppressWarnings("unchecked")
    public <V> V cached(String key, Supplier<V> compute) {
        long gen = generation.get();
        Cached<Object> c = cache.get(key);
        if (c != null && c.generation() == gen) {
            return (V) c.value();
        }
        V v = compute.get();
        if (generation.get() == gen) {
            cache.put(key, new Cached<>(gen, v));
        }
        return v;
    }

    @Override
    public Optional<AgentPackage> find(String applicationId, String packageId) {
        // callers get their own manifest tree: the cached one must not change under other requests
        return cachedAgent(applicationId, packageId).map(a -> new AgentPackage(a.id(), a.version(), a.manifest().deepCopy(),
                a.prompt(), a.createdAt(), a.updatedAt()));
    }

    private Optional<AgentPackage> cachedAgent(String applicationId, String packageId) {
        return cached("catalog|" + applicationId + "|" + packageId, () -> db.read(c -> {
            Optional<Installation> inst = PackageRepository.installation(c, applicationId, packageId);
            if (inst.isEmpty() || !inst.get().enabled()) {
                return Optional.<AgentPackage>empty();
            }
            Optional<StoredPackage> p = PackageRepository.byId(c, packageId).filter(x -> x.type().equals("agent"));
            if (p.isEmpty()) {
                return Optional.<AgentPackage>empty();
            }
            Optional<PackageVersion> v = inst.get().versionId() != null
                    ? PackageRepository.versionById(c, inst.get().versionId()) : PackageRepository.latest(c, packageId);
            return v.map(ver -> new AgentPackage(packageId, ver.version(), ver.manifest(), ver.content(),
                    p.get().createdAt(), p.get().updatedAt()));
        }));
    }

    // ---- parsing --------------------------------------------------------------------------------

    private Parsed parse(byte[] zip) {
        PackageArchive archive = PackageArchive.read(zip);
        byte[] mf = archive.file("manifest.json").orElseThrow(() -> new ApiException(400, "missing_manifest",
                "The package has no manifest.json at its root (found: " + String.join(", ", archive.names().stream().limit(10).toList()) + ")"));
        checkManifestSize(mf.length);
        JsonNode manifest;
        try {
            manifest = Json.MAPPER.readTree(mf);
        } catch (IOException e) {
            throw new ApiException(400, "invalid_manifest", "manifest.json is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (manifest == null || !manifest.isObject()) {
            throw new ApiException(400, "invalid_manifest", "manifest.json must hold a JSON object");
        }
        List<ApiException.FieldError> errors = validator.validate(manifest, null);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        String type = manifest.get("type").asText();
        String content;
        switch (type) {
            case "agent" -> {
                content = text(archive, "prompt.md", "An agent package needs a non-empty prompt.md");
            }
            case "skill" -> {
                content = text(archive, "SKILL.md", "A skill package needs a SKILL.md");
                SkillFrontmatter.requireName(content);
            }
            default -> throw new ApiException(400, "unsupported_package_type", "Packages of type '" + type
                    + "' cannot be imported into this server; agents and skills can");
        }
        return new Parsed(manifest.get("name").asText(), type, manifest.get("version").asText(), manifest, content, zip);
    }

    private static String text(PackageArchive archive, String file, String missing) {
        byte[] b = archive.file(file).orElseThrow(() -> new ApiException(400, "missing_content", missing));
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "invalid_content", file + " is not UTF-8 text");
        }
        if (s.isBlank()) {
            throw new ApiException(400, "missing_content", missing);
        }
        return s;
    }

    private static void checkManifestSize(int bytes) {
        if (bytes > MAX_MANIFEST_BYTES) {
            throw new ApiException(400, "manifest_too_large", "manifest.json is " + bytes + " bytes; at most "
                    + MAX_MANIFEST_BYTES + " are accepted");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A deterministic {@code .afps} for an agent created from JSON. */
    static byte[] bundleOf(JsonNode manifest, String contentFile, String content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> f : Map.of("manifest.json", Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(manifest), contentFile, content.getBytes(StandardCharsets.UTF_8)).entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).toList()) {
                ZipEntry e = new ZipEntry(f.getKey());
                e.setTime(BUNDLE_MTIME);
                zip.putNextEntry(e);
                zip.write(f.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String integrity(byte[] bytes) {
        try {
            return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
