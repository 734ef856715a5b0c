package dev.appstrate.server.inline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.config.InlineRunLimits;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiException.FieldError;
import dev.appstrate.server.http.AuthContext;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.packages.AgentPackage;
import dev.appstrate.server.packages.ManifestValidator;
import dev.appstrate.server.packages.SchemaValidator;
import dev.appstrate.server.packages.StoredPackage;
import dev.appstrate.server.runs.RunJson;
import dev.appstrate.server.runs.RunJsonExtension;
import dev.appstrate.server.runs.RunNames;
import dev.appstrate.server.runs.RunRecord;
import dev.appstrate.server.runs.RunAdmission;
import dev.appstrate.server.secrets.RunConnections;
import dev.appstrate.server.store.Ids;
import dev.appstrate.server.store.Times;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Inline runs (the original's {@code services/inline-run.ts}): a manifest and prompt from the request run
 * through the normal pipeline as an ephemeral package {@code @inline/r-<uuid>}, never installed or listed.
 */
public final class InlineRunService implements RunJsonExtension {
    public static final String SCOPE = "@inline";

    private final RunAdmission runs;
    private final InlinePackageRepository packages;
    private final ManifestValidator manifests;
    private final SchemaValidator schemas;
    private final Function<String, Optional<StoredPackage>> packageById;
    private final RunConnections connections;
    private final InlineRunLimits limits;
    private final Clock clock;
    private final RunNames names;

    public InlineRunService(RunAdmission runs, InlinePackageRepository packages, ManifestValidator manifests, SchemaValidator schemas,
                            Function<String, Optional<StoredPackage>> packageById, RunConnections connections,
                            InlineRunLimits limits, Clock clock, RunNames names) {
        this.runs = runs;
        this.packages = packages;
        this.manifests = manifests;
        this.schemas = schemas;
        this.packageById = packageById;
        this.connections = connections;
        this.limits = limits;
        this.clock = clock;
        this.names = names;
    }

    public static boolean isInline(String packageId) {
        return packageId != null && packageId.startsWith(SCOPE + "/");
    }

    /** The dry run of {@code /validate}: everything a start checks, integration readiness included; nothing is stored. */
    public void validate(InlineRunRequest r, AuthContext auth, String applicationId) {
        check(r, auth.orgId());
        if (connections != null) {
            RunConnections.Verdict v = connections.resolve(auth.orgId(), applicationId, null, r.manifest());
            if (!v.ready()) {
                List<FieldError> errors = new ArrayList<>();
                for (RunConnections.Missing m : v.missing()) {
                    errors.add(new FieldError("manifest.dependencies.integrations." + m.packageId(), "missing_integration_connection",
                            m.describe()));
                }
                throw ApiException.validation(errors);
            }
        }
    }

    /** Starts the run: the shadow package is stored first so that retention covers it whatever happens next. */
    public RunRecord start(InlineRunRequest r, AuthContext auth, String applicationId) {
        check(r, auth.orgId());
        Instant now = clock.instant();
        String shadowId = SCOPE + "/r-" + Ids.uuid();
        JsonNode manifest = r.manifest();
        packages.insert(shadowId, auth.orgId(), applicationId, manifest, r.prompt(), Times.iso(now));
        AgentPackage agent = new AgentPackage(shadowId, manifest.path("version").asText("0.0.0"), manifest, r.prompt(), now, now);
        RunRecord run;
        try {
            run = runs.start(new RunAdmission.StartRequest(auth.orgId(), applicationId, agent, r.input(), r.modelId(),
                    auth.userId(), auth.apiKeyId(), auth.endUserId(), null));
        } catch (RuntimeException e) {
            packages.delete(shadowId);
            throw e;
        }
        packages.attachRun(shadowId, run.id());
        return run;
    }

    /** The Run resource, with the original's inline-only fields when the run is inline. */
    public ObjectNode json(RunRecord run) {
        ObjectNode n = RunJson.of(run, names.of(run));
        extend(run, n);
        return n;
    }

    /** Adds {@code package_ephemeral}, {@code inline_manifest} and {@code inline_prompt} (null once purged). */
    @Override
    public void extend(RunRecord run, ObjectNode n) {
        boolean inline = isInline(run.scope().packageId());
        n.put("package_ephemeral", inline);
        if (!inline) {
            return;
        }
        Optional<InlinePackageRepository.InlinePackage> p = packages.find(run.scope().packageId());
        n.set("inline_manifest", p.map(InlinePackageRepository.InlinePackage::manifest).orElse(Json.MAPPER.nullNode()));
        n.put("inline_prompt", p.map(InlinePackageRepository.InlinePackage::prompt).orElse(null));
        p.map(x -> x.manifest().path("display_name").asText(null)).ifPresent(name -> n.put("agent_name", name));
    }

    private void check(InlineRunRequest r, String orgId) {
        int manifestBytes = Json.string(r.manifest()).getBytes(StandardCharsets.UTF_8).length;
        if (manifestBytes > limits.manifestBytes()) {
            throw new ApiException(413, "payload_too_large", "Payload Too Large", "The manifest is " + manifestBytes
                    + " bytes; inline runs accept at most " + limits.manifestBytes() + " (INLINE_RUN_LIMITS.manifest_bytes)")
                    .param("manifest");
        }
        int promptBytes = r.prompt().getBytes(StandardCharsets.UTF_8).length;
        if (promptBytes > limits.promptBytes()) {
            throw new ApiException(413, "payload_too_large", "Payload Too Large", "The prompt is " + promptBytes
                    + " bytes; inline runs accept at most " + limits.promptBytes() + " (INLINE_RUN_LIMITS.prompt_bytes)")
                    .param("prompt");
        }
        List<FieldError> errors = new ArrayList<>(manifests.validate(r.manifest(), "agent"));
        skills(r.manifest(), orgId, errors);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        JsonNode schema = r.manifest().path("input").path("schema");
        if (schema.isObject() && !schema.isEmpty()) {
            JsonNode input = r.input() == null ? Json.object() : r.input();
            for (SchemaValidator.SchemaError e : schemas.validate(schema, input)) {
                String path = e.path().replaceFirst("^\\$\\.?", "");
                errors.add(new FieldError(path.isEmpty() ? "input" : "input." + path, "invalid_input", e.message()));
            }
            if (!errors.isEmpty()) {
                throw ApiException.validation(errors);
            }
        }
    }

    /** At most {@code max_skills}, each already in this organization (registry-only dependencies, as in the original). */
    private void skills(JsonNode manifest, String orgId, List<FieldError> errors) {
        JsonNode skills = manifest.path("dependencies").path("skills");
        if (!skills.isObject()) {
            return;
        }
        if (skills.size() > limits.maxSkills()) {
            errors.add(new FieldError("manifest.dependencies.skills", "too_many_skills", "Inline runs accept at most "
                    + limits.maxSkills() + " skills (INLINE_RUN_LIMITS.max_skills); this manifest lists " + skills.size()));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = skills.fields(); it.hasNext(); ) {
            String id = it.next().getKey();
            if (!ManifestValidator.NAME.matcher(id).matches()) {
                continue;
            }
            Optional<StoredPackage> p = packageById.apply(id);
            if (p.isEmpty() || !"skill".equals(p.get().type()) || !orgId.equals(p.get().orgId())) {
                errors.add(new FieldError("manifest.dependencies.skills." + id, "skill_not_found",
                        "Skill '" + id + "' is not in this organization; import it first"));
            }
        }
    }
}
