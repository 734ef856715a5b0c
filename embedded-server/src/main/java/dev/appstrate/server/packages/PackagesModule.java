package dev.appstrate.server.packages;

import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.ServerContext;
import dev.appstrate.server.ServerModule;
import dev.appstrate.server.packages.ApplicationPackageRoutes;
import dev.appstrate.server.packages.PackageRoutes;
import dev.appstrate.server.tenancy.ApplicationRepository;

/** Agents and skills: import, create, versions, installs per application; the agent catalog and schema checks. */
public final class PackagesModule implements ServerModule {
    @Override
    public void install(ServerContext ctx) {
        SchemaValidator schemas = new SchemaValidator();
        BundleStore bundles = new BundleStore(ctx.config().storageDir());
        PackageService packages = new PackageService(ctx.database(), bundles, new ManifestValidator(schemas), ctx.clock());
        ctx.put(SchemaValidator.class, schemas);
        ctx.put(PackageService.class, packages);
        ctx.put(AgentCatalog.class, packages);
        int ceiling = ctx.config().platformRunLimits().timeoutCeilingSeconds();
        new PackageRoutes(packages, () -> ctx.find(RunningRuns.class), ceiling).register(ctx.router());
        new ApplicationPackageRoutes(packages, ctx.get(ApplicationRepository.class)).register(ctx.router());
    }

    @Override
    public void afterInstall(ServerContext ctx) {
        // the schema library takes about a second to load: warm it after boot, not on the first import
        NamedExecutors.thread("schema-warmup", () -> ctx.get(SchemaValidator.class).warmUp()).start();
    }
}
