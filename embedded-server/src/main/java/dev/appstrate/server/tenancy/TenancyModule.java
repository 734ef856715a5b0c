package dev.appstrate.server.tenancy;

import dev.appstrate.server.ServerContext;
import dev.appstrate.server.ServerModule;
import dev.appstrate.server.tenancy.ApiKeyRoutes;
import dev.appstrate.server.tenancy.ApplicationRoutes;
import dev.appstrate.server.tenancy.EndUserRoutes;
import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.http.FixedWindowRateLimiter;
import dev.appstrate.server.http.IdempotencyStore;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The local organization, owner credential, API keys, applications, end-users and the auth pipeline. */
public final class TenancyModule implements ServerModule {
    private static final Logger LOG = LoggerFactory.getLogger(TenancyModule.class);

    @Override
    public void install(ServerContext ctx) {
        Tenancy tenancy = Tenancy.bootstrap(ctx.database(), ctx.clock());
        OwnerCredential owner = OwnerCredential.load(ctx.config().dataDir(), ctx.config().ownerTokenFromEnv());
        ExecutorService background = NamedExecutors.single("apikey-touch");
        ctx.onStop(NamedExecutors.closer(background));
        ApiKeyRepository keyRepo = new ApiKeyRepository(ctx.database());
        int expired = keyRepo.revokeExpired(ctx.clock().instant());
        if (expired > 0) {
            LOG.info("Revoked expired API keys count={}", expired);
        }
        ApiKeyService keys = new ApiKeyService(keyRepo, ctx.clock(), background);
        ApplicationRepository apps = new ApplicationRepository(ctx.database());
        FixedWindowRateLimiter limiter = new FixedWindowRateLimiter(ctx.clock());
        AuthPolicies policies = new AuthPolicies(owner, keys, apps, tenancy, limiter, new IdempotencyStore(ctx.clock()));
        ctx.handler().policies(policies);
        ctx.put(Tenancy.class, tenancy);
        ctx.put(AuthPolicies.class, policies);
        ctx.put(ApplicationRepository.class, apps);
        ctx.put(ApiKeyService.class, keys);
        ctx.put(FixedWindowRateLimiter.class, limiter);
        new ApplicationRoutes(apps, ctx.clock()).register(ctx.router());
        new ApiKeyRoutes(keys, keyRepo, ctx.clock()).register(ctx.router());
        new EndUserRoutes(new EndUserRepository(ctx.database()), ctx.clock()).register(ctx.router());
        LOG.info("Organization ready orgId={} defaultApplicationId={}", tenancy.orgId(), tenancy.defaultApplicationId());
    }
}
