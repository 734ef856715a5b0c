package dev.appstrate.server.packages;

import dev.appstrate.server.http.ListEnvelope;
import dev.appstrate.server.http.Validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.packages.Installation;
import dev.appstrate.server.packages.PackageService;
import dev.appstrate.server.packages.StoredPackage;
import dev.appstrate.server.tenancy.Tenancy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/applications/{applicationId}/packages}: which organization packages an application
 * sees. Importing installs in the importing application; these routes install elsewhere.
 */
public final class ApplicationPackageRoutes {
    record InstallBody(String packageId) {
    }

    private final PackageService packages;
    private final Tenancy tenancy;

    public ApplicationPackageRoutes(PackageService packages, Tenancy tenancy) {
        this.packages = packages;
        this.tenancy = tenancy;
    }

    public void register(Router r) {
        r.get("/api/applications/{applicationId}/packages", this::list)
                .doc("Application Packages", "List packages installed in an application");
        r.post("/api/applications/{applicationId}/packages", this::install).permission("applications:write")
                .doc("Application Packages", "Install an organization package in an application");
        r.get("/api/applications/{applicationId}/packages/{scope}/{name}", this::get)
                .doc("Application Packages", "Get one installed package");
        r.delete("/api/applications/{applicationId}/packages/{scope}/{name}", this::uninstall).permission("applications:write")
                .doc("Application Packages", "Uninstall a package from an application");
    }

    private String application(ApiRequest req) {
        String id = req.pathParam("applicationId");
        String pinned = req.auth().pinnedApplicationId();
        if (pinned != null && !pinned.equals(id)) {
            throw ApiException.forbidden("API key scope does not include this application");
        }
        if (!tenancy.applicationInOrganization(id, req.auth().orgId())) {
            throw ApiException.notFound("Application '" + id + "' not found in this organization");
        }
        return id;
    }

    private ApiResponse list(ApiRequest req) {
        String app = application(req);
        String type = req.queryParam("type").orElse(null);
        if (type != null && !List.of("agent", "skill", "mcp-server", "integration").contains(type)) {
            throw ApiException.invalidRequest("type must be one of agent, skill, mcp-server, integration", "type");
        }
        List<ObjectNode> out = new ArrayList<>();
        for (Installation i : packages.installations(app)) {
            Optional<StoredPackage> p = packages.byId(i.packageId());
            if (p.isPresent() && (type == null || p.get().type().equals(type))) {
                out.add(PackageJson.installation(i, p.get()));
            }
        }
        return ApiResponse.ok(ListEnvelope.of(out, false, null));
    }

    private ApiResponse install(ApiRequest req) {
        String app = application(req);
        InstallBody b = req.body(InstallBody.class);
        new Validation().required("packageId", b.packageId()).length("packageId", b.packageId(), 1, 255).throwIfAny();
        StoredPackage p = packages.byId(b.packageId()).filter(x -> x.orgId().equals(req.auth().orgId()))
                .orElseThrow(() -> ApiException.notFound("Package '" + b.packageId() + "' not found in this organization"));
        if (!packages.install(app, p.id())) {
            throw ApiException.conflict("already_installed", "Package '" + p.id() + "' is already installed in this application");
        }
        return ApiResponse.created(PackageJson.installation(packages.installation(app, p.id()).orElseThrow(), p));
    }

    private Installation installed(ApiRequest req, String app) {
        String id = req.pathParam("scope") + "/" + req.pathParam("name");
        return packages.installation(app, id).orElseThrow(() -> ApiException.notFound("package_not_installed",
                "Package '" + id + "' is not installed in this application"));
    }

    private ApiResponse get(ApiRequest req) {
        String app = application(req);
        Installation i = installed(req, app);
        return ApiResponse.ok(PackageJson.installation(i, packages.byId(i.packageId()).orElseThrow()));
    }

    private ApiResponse uninstall(ApiRequest req) {
        String app = application(req);
        Installation i = installed(req, app);
        packages.uninstall(app, i.packageId());
        return ApiResponse.noContent();
    }
}
