package dev.appstrate.server.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.packages.Installation;
import dev.appstrate.server.packages.PackageVersion;
import dev.appstrate.server.packages.StoredPackage;
import dev.appstrate.server.store.Times;
import java.util.List;

/** The original's wire shapes for agents and packages (AgentListItem, AgentDetail, AgentVersion, …). */
public final class PackageJson {
    public static final int DEFAULT_TIMEOUT_SECONDS = 300;

    private PackageJson() {
    }

    /** {@code AgentListItem} of {@code GET /api/agents}; dependencies are id→range maps here. */
    public static ObjectNode listItem(StoredPackage p, int runningRuns) {
        JsonNode m = p.draftManifest();
        ObjectNode n = Json.object();
        n.put("id", p.id());
        n.put("display_name", m.path("display_name").asText(p.id()));
        n.put("description", m.path("description").asText(""));
        n.put("schema_version", m.path("schema_version").asText());
        n.put("author", author(m));
        ArrayNode kw = n.putArray("keywords");
        m.path("keywords").forEach(k -> kw.add(k.asText()));
        ObjectNode deps = n.putObject("dependencies");
        for (String g : List.of("skills", "mcp_servers", "integrations")) {
            JsonNode d = m.path("dependencies").path(g);
            deps.set(g, d.isObject() ? d.deepCopy() : Json.object());
        }
        n.put("running_runs", runningRuns);
        n.put("source", p.source());
        n.put("scope", p.scope());
        n.put("version", m.path("version").asText(null));
        n.put("type", p.type());
        return n;
    }

    /** {@code AgentDetail}; dependencies are arrays of {id, version} here, as the original. */
    public static ObjectNode detail(StoredPackage p, long versionCount, int runningRuns, int timeoutCeiling) {
        JsonNode m = p.draftManifest();
        ObjectNode n = Json.object();
        n.put("id", p.id());
        n.put("display_name", m.path("display_name").asText(p.id()));
        n.put("description", m.path("description").asText(""));
        n.put("source", p.source());
        n.put("scope", p.scope());
        n.put("version", m.path("version").asText(null));
        ObjectNode deps = n.putObject("dependencies");
        for (String g : List.of("skills", "mcp_servers", "integrations")) {
            ArrayNode arr = deps.putArray(g);
            JsonNode d = m.path("dependencies").path(g);
            d.fields().forEachRemaining(e -> {
                ObjectNode ref = arr.addObject().put("id", e.getKey()).put("version", e.getValue().asText());
                JsonNode cfg = m.path("integrations_configuration").path(e.getKey());
                if (g.equals("integrations") && cfg.isObject()) {
                    if (cfg.has("tools")) {
                        ref.set("tools", cfg.get("tools"));
                    }
                    if (cfg.has("scopes")) {
                        ref.set("scopes", cfg.get("scopes"));
                    }
                }
            });
        }
        ObjectNode input = n.putObject("input");
        JsonNode in = m.path("input");
        input.set("schema", in.path("schema").isObject() ? in.get("schema").deepCopy()
                : Json.object().put("type", "object").set("properties", Json.object()));
        input.set("values", Json.object());
        input.putArray("locked_fields");
        for (String f : List.of("file_constraints", "ui_hints", "property_order")) {
            if (in.has(f)) {
                input.set(f, in.get(f).deepCopy());
            }
        }
        JsonNode out = m.path("output");
        if (out.isObject()) {
            ObjectNode o = n.putObject("output");
            o.set("schema", out.path("schema").deepCopy());
            if (out.has("property_order")) {
                o.set("property_order", out.get("property_order").deepCopy());
            }
        }
        n.put("running_runs", runningRuns);
        n.putNull("last_run");
        n.put("version_count", versionCount);
        n.put("has_unarchived_changes", false);
        n.put("effective_timeout_seconds", effectiveTimeout(m, timeoutCeiling));
        n.put("forked_from", p.forkedFrom());
        n.set("manifest", m);
        n.put("updatedAt", Times.iso(p.updatedAt()));
        n.put("lock_version", p.lockVersion());
        n.put("prompt", p.draftContent());
        return n;
    }

    /** The manifest's timeout (or the default) clamped to PLATFORM_RUN_LIMITS.timeout_ceiling_seconds. */
    public static int effectiveTimeout(JsonNode manifest, int ceiling) {
        JsonNode t = manifest.path("timeout");
        int declared = t.isNumber() && t.asDouble() > 0 ? (int) Math.ceil(t.asDouble()) : DEFAULT_TIMEOUT_SECONDS;
        return Math.min(declared, ceiling);
    }

    /** {@code OrgPackageItem} of {@code GET /api/packages/agents|skills}. */
    public static ObjectNode orgItem(StoredPackage p) {
        JsonNode m = p.draftManifest();
        ObjectNode n = Json.object();
        n.put("id", p.id());
        n.put("orgId", p.orgId());
        n.put("name", m.path("display_name").asText(p.id()));
        n.put("description", m.hasNonNull("description") ? m.get("description").asText() : null);
        n.put("source", p.source());
        n.put("created_by", p.createdBy());
        n.put("used_by_agents", 0);
        n.put("version", m.path("version").asText(null));
        n.put("auto_installed", p.autoInstalled());
        n.put("forked_from", p.forkedFrom());
        n.put("createdAt", Times.iso(p.createdAt()));
        n.put("updatedAt", Times.iso(p.updatedAt()));
        return n;
    }

    /** {@code AgentVersion} of the versions list. */
    public static ObjectNode version(PackageVersion v) {
        ObjectNode n = Json.object();
        n.put("id", v.id());
        n.put("packageId", v.packageId());
        n.put("version", v.version());
        n.put("integrity", v.integrity());
        n.put("artifact_size", v.artifactSize());
        n.put("yanked", v.yanked());
        n.put("created_by", v.createdBy());
        n.put("createdAt", Times.iso(v.createdAt()));
        return n;
    }

    /** {@code PackageVersionDetail}; the newest version carries the {@code latest} dist-tag. */
    public static ObjectNode versionDetail(PackageVersion v, boolean latest) {
        ObjectNode n = Json.object();
        n.put("id", v.id());
        n.put("version", v.version());
        n.set("manifest", v.manifest());
        n.put("content", v.content());
        n.put("yanked", v.yanked());
        n.put("yanked_reason", v.yankedReason());
        n.put("integrity", v.integrity());
        n.put("artifact_size", v.artifactSize());
        n.put("createdAt", Times.iso(v.createdAt()));
        ArrayNode tags = n.putArray("dist_tags");
        if (latest) {
            tags.add("latest");
        }
        return n;
    }

    /** {@code ApplicationPackage} of {@code /api/applications/{id}/packages}. */
    public static ObjectNode installation(Installation i, StoredPackage p) {
        ObjectNode n = Json.object();
        n.put("object", "application_package");
        n.put("packageId", i.packageId());
        n.set("generationConfig", i.generationConfig() == null ? Json.MAPPER.nullNode() : i.generationConfig());
        n.put("modelId", i.modelId());
        n.put("proxyId", i.proxyId());
        if (i.versionId() == null) {
            n.putNull("version_id");
        } else {
            n.put("version_id", i.versionId());
        }
        n.put("enabled", i.enabled());
        n.put("installed_at", Times.iso(i.installedAt()));
        n.put("updatedAt", Times.iso(i.updatedAt()));
        n.put("package_type", p.type());
        n.put("package_source", p.source());
        n.set("draft_manifest", p.draftManifest());
        return n;
    }

    private static String author(JsonNode m) {
        JsonNode a = m.path("author");
        if (a.isTextual()) {
            return a.asText();
        }
        return a.path("name").asText("");
    }
}
