package dev.appstrate.server.secrets;

import dev.appstrate.server.ServerContext;
import dev.appstrate.server.ServerModule;
import dev.appstrate.server.secrets.ConnectionRoutes;
import dev.appstrate.server.secrets.SecretsRoutes;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets: the key ring and {@link SecretStore} every module seals credentials with, the
 * {@link Redactor}, the integration catalog, connections and their routes, and the run-side resolver.
 */
public final class SecretsModule implements ServerModule {
    private static final Logger LOG = LoggerFactory.getLogger(SecretsModule.class);
    private final Function<String, String> env;

    public SecretsModule() {
        this(System::getenv);
    }

    /** With another environment source, for CONNECTION_ENCRYPTION_KEYS (the server config does not carry it). */
    public SecretsModule(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public void install(ServerContext ctx) {
        KeyRing ring = KeyRing.fromConfig(ctx.config().connectionEncryptionKey(), ctx.config().connectionEncryptionKeyId(),
                ctx.config().connectionEncryptionKeys() != null ? ctx.config().connectionEncryptionKeys()
                        : env.apply(KeyRing.RETIRED_KEYS));
        SecretBox box = new SecretBox(ring);
        Redactor redactor = Redactor.global();
        SecretStore store = new SecretStore(box, redactor);
        KeyRotation rotation = new KeyRotation(box);
        IntegrationCatalog catalog = new IntegrationCatalog(ctx.database(), ctx.clock());
        Connections connections = new Connections(ctx.database(), ctx.clock(), store, catalog);
        RunConnections runConnections = new RunConnections(catalog, connections);
        ctx.put(KeyRing.class, ring);
        ctx.put(SecretBox.class, box);
        ctx.put(Redactor.class, redactor);
        ctx.put(SecretStore.class, store);
        ctx.put(KeyRotation.class, rotation);
        ctx.put(IntegrationCatalog.class, catalog);
        ctx.put(Connections.class, connections);
        ctx.put(RunConnections.class, runConnections);
        new ConnectionRoutes(ctx.database(), catalog, connections).register(ctx.router());
        new SecretsRoutes(ctx.database(), rotation).register(ctx.router());
        LOG.info("Secrets: AES-256-GCM activeKid={} keyRing={}", ring.activeKid(), ring.kids());
    }

    @Override
    public void afterInstall(ServerContext ctx) {
        KeyRotation.Status s = ctx.get(KeyRotation.class).status(ctx.database());
        if (s.unreadable() > 0) {
            LOG.warn("Secrets: {} stored values are encrypted with a key id not in the key ring ({}); they cannot be "
                    + "opened until the key is added to CONNECTION_ENCRYPTION_KEYS", s.unreadable(), s.valuesByKid().keySet());
        } else if (s.needsRotation() > 0) {
            LOG.info("Secrets: {} stored values are still on a retired key; run 'rotate-key' to re-encrypt them",
                    s.needsRotation());
        }
    }
}
