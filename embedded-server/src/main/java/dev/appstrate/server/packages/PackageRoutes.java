package dev.appstrate.server.packages;

import dev.appstrate.server.http.ListEnvelope;
import dev.appstrate.server.http.Multipart;
import dev.appstrate.server.http.Validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.AuthContext;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.packages.PackageService;
import dev.appstrate.server.packages.PackageVersion;
import dev.appstrate.server.packages.RunningRuns;
import dev.appstrate.server.packages.StoredPackage;
import java.util.List;

/**
 * {@code /api/packages/*} as the original serves it (import, agent CRUD, versions, download) and the
 * agent routes of {@code /api/agents}; packages are visible in an application once installed there.
 */
public final class PackageRoutes {
    record CreateAgentBody(JsonNode manifest, String content) {
    }

    private final PackageService packages;
    private final RunningRuns runningRuns;
    private final int timeoutCeiling;

    public PackageRoutes(PackageService packages, RunningRuns runningRuns, int timeoutCeiling) {
        this.packages = packages;
        this.runningRuns = runningRuns;
        this.timeoutCeiling = timeoutCeiling;
    }

    public void register(Router r) {
        r.post("/api/packages/import", this::importPackage).appScoped().rateLimit(10).permission("agents:write")
                .doc("Packages", "Import an agent or skill from an .afps/.zip (multipart field 'file')");
        r.get("/api/packages/agents", req -> list(req, "agent")).appScoped().permission("agents:read")
                .doc("Packages", "List agent packages installed in the application");
        r.post("/api/packages/agents", this::createAgent).appScoped().permission("agents:write")
                .doc("Packages", "Create an agent from {manifest, content}");
        r.get("/api/packages/agents/{scope}/{name}", this::detail).appScoped().permission("agents:read")
                .doc("Packages", "Get agent detail");
        r.delete("/api/packages/agents/{scope}/{name}", this::delete).appScoped().permission("agents:delete")
                .doc("Packages", "Delete an agent (all versions, every application)");
        r.get("/api/packages/agents/{scope}/{name}/versions", this::versions).appScoped().permission("agents:read")
                .doc("Packages", "List agent versions");
        r.get("/api/packages/agents/{scope}/{name}/versions/{version}", this::versionDetail).appScoped().permission("agents:read")
                .doc("Packages", "Get one agent version with its manifest and prompt");
        r.get("/api/packages/skills", req -> list(req, "skill")).appScoped().permission("skills:read")
                .doc("Packages", "List skill packages installed in the application");
        r.get("/api/packages/{scope}/{name}/{version}/download", this::download)
                .appScoped().rateLimit(50).permission("agents:read")
                .doc("Packages", "Download a package version as .afps");

        r.get("/api/agents", this::agents).appScoped().doc("Agents", "List the agents installed in the application");
        r.get("/api/agents/{scope}/{name}", this::detail).appScoped().permission("agents:read")
                .doc("Agents", "Get agent detail (same as GET /api/packages/agents/{scope}/{name})");
        r.get("/api/agents/{scope}/{name}/versions", this::versions).appScoped().permission("agents:read")
                .doc("Agents", "List agent versions (same as GET /api/packages/agents/{scope}/{name}/versions)");
        r.delete("/api/agents/{scope}/{name}", this::delete).appScoped().permission("agents:delete")
                .doc("Agents", "Delete an agent (same as DELETE /api/packages/agents/{scope}/{name})");
    }

    private ApiResponse importPackage(ApiRequest req) {
        Multipart.FilePart file = Multipart.file(req, "file");
        boolean force = req.queryParam("force").map("true"::equals).orElse(false);
        PackageService.ImportResult r = packages.importArchive(req.auth().orgId(), req.applicationId(), file.bytes(), force,
                req.auth().userId(), req.auth().mayChangeOrgWide());
        ObjectNode n = Json.object();
        n.put("packageId", r.packageId());
        n.put("type", r.type());
        n.put("version", r.version());
        return ApiResponse.created(n);
    }

    private ApiResponse createAgent(ApiRequest req) {
        CreateAgentBody b = req.body(CreateAgentBody.class);
        Validation v = new Validation().required("manifest", b.manifest()).required("content", b.content());
        v.throwIfAny();
        StoredPackage p = packages.createAgent(req.auth().orgId(), req.applicationId(), b.manifest(), b.content(),
                req.auth().userId());
        return ApiResponse.created(PackageJson.detail(p, packages.versionCount(p.id()), running(req, p.id()), timeoutCeiling));
    }

    private ApiResponse list(ApiRequest req, String type) {
        List<ObjectNode> items = packages.installed(req.applicationId(), type).stream().map(PackageJson::orgItem).toList();
        return ApiResponse.ok(ListEnvelope.of(items, false, null));
    }

    /**
     * {@code GET /api/agents}: the hot path of API clients. The list is cached per application; the
     * serialized body too, and it is served as is while none of the agents has a run in progress.
     */
    private ApiResponse agents(ApiRequest req) {
        String app = req.applicationId();
        List<StoredPackage> list = packages.cached("agents|" + app, () -> packages.installed(app, "agent"));
        int[] counts = new int[list.size()];
        boolean anyRunning = false;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = runningRuns.count(app, list.get(i).id());
            anyRunning |= counts[i] > 0;
        }
        if (!anyRunning) {
            // the list is read again inside: a body cached after a package write must not come from the list before it
            byte[] idle = packages.cached("agents-json|" + app, () -> Json.bytes(ListEnvelope.of(
                    packages.cached("agents|" + app, () -> packages.installed(app, "agent")).stream()
                            .map(p -> PackageJson.listItem(p, 0)).toList(), false, null)));
            return ApiResponse.bytes(200, "application/json", idle);
        }
        List<ObjectNode> items = new java.util.ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            items.add(PackageJson.listItem(list.get(i), counts[i]));
        }
        return ApiResponse.ok(ListEnvelope.of(items, false, null));
    }

    private StoredPackage agent(ApiRequest req) {
        String id = packageId(req);
        return packages.installedIn(req.applicationId(), id, "agent").orElseThrow(
                () -> ApiException.notFound("agent_not_found", "Agent '" + id + "' not found in this application"));
    }

    private ApiResponse detail(ApiRequest req) {
        StoredPackage installed = agent(req);
        StoredPackage p = installed;
        String version = req.queryParam("version").orElse(null);
        if (version != null && !version.equals("draft") && !version.equals("published") && !version.equals("latest")) {
            PackageVersion v = packages.version(p.id(), version).orElseThrow(() -> ApiException.notFound("version_not_found",
                    "Version " + version + " of '" + installed.id() + "' not found"));
            p = new StoredPackage(p.id(), p.orgId(), p.type(), p.source(), v.manifest(), v.content(), p.lockVersion(),
                    p.autoInstalled(), p.forkedFrom(), p.createdBy(), p.createdAt(), p.updatedAt());
        }
        return ApiResponse.ok(PackageJson.detail(p, packages.versionCount(p.id()), running(req, p.id()), timeoutCeiling));
    }

    private ApiResponse delete(ApiRequest req) {
        StoredPackage p = agent(req);
        if (running(req, p.id()) > 0) {
            throw ApiException.conflict("agent_in_use", "Agent '" + p.id() + "' has runs in progress");
        }
        if (!req.auth().mayChangeOrgWide() && packages.installedOutside(p.id(), req.applicationId())) {
            throw AuthContext.orgWideRefused("Agent '" + p.id() + "' (installed in other applications)");
        }
        packages.delete(req.auth().orgId(), p.id());
        return ApiResponse.noContent();
    }

    private ApiResponse versions(ApiRequest req) {
        StoredPackage p = agent(req);
        ObjectNode n = Json.object();
        ArrayNode arr = n.putArray("versions");
        packages.versions(p.id()).forEach(v -> arr.add(PackageJson.version(v)));
        return ApiResponse.ok(n);
    }

    private ApiResponse versionDetail(ApiRequest req) {
        StoredPackage p = agent(req);
        String version = req.pathParam("version");
        List<PackageVersion> all = packages.versions(p.id());
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).version().equals(version)) {
                return ApiResponse.ok(PackageJson.versionDetail(all.get(i), i == 0));
            }
        }
        throw ApiException.notFound("version_not_found", "Version " + version + " of '" + p.id() + "' not found");
    }

    private ApiResponse download(ApiRequest req) {
        String id = packageId(req);
        StoredPackage p = packages.installedIn(req.applicationId(), id, null).orElseThrow(
                () -> ApiException.notFound("Package '" + id + "' not found in this application"));
        String spec = req.pathParam("version");
        PackageVersion v = (spec.equals("latest") ? packages.latest(p.id()) : packages.version(p.id(), spec)).orElseThrow(
                () -> ApiException.notFound("version_not_found", "Version " + spec + " of '" + p.id() + "' not found"));
        String file = p.scope().substring(1) + "-" + p.id().substring(p.id().indexOf('/') + 1) + "-" + v.version() + ".afps";
        return ApiResponse.bytes(200, "application/zip", packages.bundle(p.id(), v.version()))
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                .header("X-Package-Integrity", v.integrity());
    }

    private int running(ApiRequest req, String packageId) {
        return runningRuns.count(req.applicationId(), packageId);
    }

    /** {@code @scope} + {@code name} path parameters → {@code @scope/name}; anything else is simply not found. */
    static String packageId(ApiRequest req) {
        String scope = req.pathParam("scope");
        String name = req.pathParam("name");
        String id = scope + "/" + name;
        if (!scope.startsWith("@") || !dev.appstrate.server.packages.ManifestValidator.NAME.matcher(id).matches()) {
            throw ApiException.notFound("agent_not_found", "No package '" + id + "'; package paths look like /@scope/name");
        }
        return id;
    }
}
